"""Files of what the catalogue keeps per data version, shared by every process of a machine
(the search matrix, `matrix_store`; the lexical postings, `postings`).

One directory per database and data version under `VAR_DIR/<kind>/`, written to a temporary
directory and renamed into place (atomic) by whichever process holds the database's file lock;
the others map the same files read-only, so the operating system keeps one copy for every
worker. Older directories of the same database are removed (a process still mapping one keeps
its pages: unlinking a mapped file is safe on POSIX).

In-memory SQLite databases (the test default) have no identity between processes: what is
built for them stays in the process (`database_tag` is None).
"""

import contextlib
import fcntl
import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection


def database_tag(version: tuple) -> str | None:
    """A file-name-safe identity of the database, None when it has none across processes."""
    name = str(version[1]) if len(version) > 1 else ""
    if connection.vendor == "sqlite" and (not name or "memory" in name):
        return None
    return hashlib.sha256(f"{connection.vendor}|{name}".encode()).hexdigest()[:16]


def directory(kind: str) -> Path:
    root = Path(settings.VAR_DIR) / kind
    root.mkdir(parents=True, exist_ok=True)
    return root


def version_path(root: Path, tag: str, layout: str, version: tuple) -> Path:
    """The directory of `version`; the layout is part of the name, so files an earlier release
    wrote in another layout are never read as this one's."""
    stamp = hashlib.sha256(repr((layout, version[2:])).encode()).hexdigest()[:16]
    return root / f"{tag}-{stamp}"


@contextlib.contextmanager
def locked(root: Path, tag: str) -> Iterator[None]:
    """One builder per database among all processes."""
    with open(root / f"{tag}.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def write_arrays(
    final: Path,
    arrays: dict[str, np.ndarray],
    links: dict[str, Path] | None = None,
    texts: dict[str, str] | None = None,
) -> None:
    """`final` holding one `<name>.npy` per array, a hard link per entry of `links` (a file
    another version holds unchanged) and a file per entry of `texts`: all or nothing."""
    tmp = final.with_name(f"{final.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    try:
        for name, source in (links or {}).items():
            os.link(source, tmp / name)
        for name, array in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(array))
        for name, text in (texts or {}).items():
            (tmp / name).write_text(text)
        os.rename(tmp, final)  # atomic: readers see every file or none
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not final.exists():
            raise


def others(root: Path, tag: str) -> list[Path]:
    """The finished directories of the database, newest first."""
    found = [p for p in root.glob(f"{tag}-*") if ".tmp-" not in p.name]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def clean(root: Path, tag: str, keep: Path) -> None:
    for path in root.glob(f"{tag}-*"):
        if path != keep:
            shutil.rmtree(path, ignore_errors=True)
