"""The datasets' downloads written ahead into storage by the job `opendata.regenerate` (nightly
from the scheduler, or `partnernet run_jobs --scheduled opendata.regenerate`), and served from
there while they are fresh: made at the catalogue data version, day and release of the request,
the very parts of the downloads' validator (`catalogue.conditional`), so a stored file is the
body the request would compute. Otherwise (a write since, a new day, never made) the request
streams it as before. Storage is `default_storage`, shared by every application server.

The IATI files are not stored: they also read funding transactions, applications' indicators
and the funder's organisation, which the data version does not watch (watching applications
would change the catalogue's version on every autosave), so a stored copy could not be known
fresh; they stay computed per request, streamed in chunks.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils import timezone

from partnernet.catalogue.selectors import catalogue_version

from .datasets import DATASETS, csv_chunks, json_chunks

logger = logging.getLogger("partnernet.opendata")
FOLDER = "opendata"
FORMATS = {"csv": csv_chunks, "json": json_chunks}
DONE = ".done"  # written after the file: its presence says the file is whole


def freshness_key(version: tuple | None = None) -> str:
    parts = (
        (version or catalogue_version())[2],
        timezone.localdate().isoformat(),
        settings.VERSION,
    )
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def _path(key: str, name: str, kind: str) -> str:
    return f"{FOLDER}/{key}/{name}.{kind}"


def stored_download(name: str, kind: str, version: tuple | None = None) -> File | None:
    """The stored file of dataset `name` in format `kind` ("csv", "json") when it is fresh,
    opened for reading; None otherwise (the caller computes it)."""
    path = _path(freshness_key(version), name, kind)
    try:
        if not default_storage.exists(path + DONE):
            return None
        return default_storage.open(path, "rb")
    except OSError:
        logger.warning("opendata: stored %s.%s unreadable; computed instead", name, kind)
        return None


def opendata_regenerate() -> dict[str, int]:
    """Write every dataset (CSV and JSON) for the current data version, then forget the files
    of earlier versions. Idempotent: what is already written for this version is kept."""
    key = freshness_key()
    written = 0
    for name, dataset in DATASETS.items():
        for kind, chunks in FORMATS.items():
            path = _path(key, name, kind)
            if default_storage.exists(path + DONE):
                continue
            if default_storage.exists(path):  # a half-written file of a run that died
                default_storage.delete(path)
            with tempfile.TemporaryFile() as body:  # any storage can take a plain file
                for piece in chunks(dataset):
                    body.write(piece.encode())
                body.seek(0)
                saved = default_storage.save(path, File(body, name=path))
            if saved != path:  # another run wrote it meanwhile under the name: keep theirs
                default_storage.delete(saved)
            default_storage.save(path + DONE, ContentFile(b""))
            written += 1
    return {"written": written, "removed": _forget_other_versions(key)}


def _forget_other_versions(key: str) -> int:
    try:
        folders, _files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    removed = 0
    for folder in folders:
        if folder == key:
            continue
        _subfolders, files = default_storage.listdir(f"{FOLDER}/{folder}")
        for file in files:
            default_storage.delete(f"{FOLDER}/{folder}/{file}")
            removed += 1
        with contextlib.suppress(NotImplementedError, OSError):  # folders exist on disk only
            os.rmdir(default_storage.path(f"{FOLDER}/{folder}"))
    return removed
