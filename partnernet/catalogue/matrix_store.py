"""The embedding matrix of every search document, one per data version, shared between processes.

Reading every stored embedding (384 float32 = 1.5 KB a document, 150 MB at 100 000) per worker
and per data version was the slowest part of the first search after a write, and each gunicorn
worker kept its own copy. Here:

- the vectors are quantised to int8 with a scale per row (`embeddings.quantise`: 38 MB at
  100 000) and scored with exact integer products, as fast as the float32 product;

- one build per data version per process (single-flight: the version is checked again inside
  the lock, so threads that missed together wait for one build instead of each making one);
- the matrix lives in files under `VAR_DIR/search-matrix/`, one directory per database and data
  version, written to a temporary directory and renamed into place (atomic), by whichever
  process takes the file lock first; the others map the same files read-only (`np.load(...,
  mmap_mode="r")`), so the operating system holds one copy for every worker;
- a new version is built incrementally from the previous one: the ids and a fingerprint of each
  document (`embedded_hash`, whether an embedding is stored) are read (small), rows whose
  fingerprint is unchanged are copied, only new or changed embeddings are read, and ids no
  longer present are dropped. The fingerprint, not `updated_at`, decides: `QuerySet.update()`
  (how the embedding job stores a vector) does not touch `auto_now` fields, and a rolled-back
  transaction can bring back an older row with an older timestamp;
- older directories of the same database are removed (a process still mapping one keeps its
  pages: unlinking a mapped file is safe on POSIX).

In-memory SQLite databases (the test default) have no identity between processes: their matrix
stays in the process.
"""

import contextlib
import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from django.db import connection

from partnernet.lib import embeddings
from partnernet.lib.singleflight import PerVersion

from . import facets, shared_files
from .models import SearchDocument

logger = logging.getLogger("partnernet.catalogue")
DIRECTORY = "search-matrix"
_FETCH_BATCH = 2_000
FORMAT = "int8-scaled-overlay"
OVERLAY_LIMIT = 2_000  # rows patched beside the files before the matrix is written whole
_NO_ROWS = np.zeros(0, dtype=np.int64)
_NO_VECTORS = np.zeros((0, embeddings.DIMENSIONS), dtype=embeddings.QUANTISED)
_NO_SCALES = np.zeros(0, dtype=np.float32)


@dataclass(frozen=True)
class Matrix:
    """Unit vectors of the indexed partnerships, rows in the order of `ids` (ascending)."""

    version: tuple
    ids: np.ndarray  # int64, ascending
    vectors: np.ndarray  # (len(ids), DIMENSIONS) int8 (`embeddings.quantise`), read-only
    # (memory-mapped when shared)
    scales: np.ndarray  # float32 per row: the row's vector is vectors[row] * scales[row]
    fingerprints: np.ndarray  # S65: embedded_hash + "1"/"0" (embedding stored or not)
    # Rows re-read since `vectors` was written (a patch): their vectors and scales replace
    # the files' ones, so an edit neither copies nor writes the whole matrix again.
    overlay_rows: np.ndarray = field(default_factory=lambda: _NO_ROWS)
    overlay_vectors: np.ndarray = field(default_factory=lambda: _NO_VECTORS)
    overlay_scales: np.ndarray = field(default_factory=lambda: _NO_SCALES)
    files: Path | None = None  # the directory `vectors` and `scales` are mapped from

    def scores(self, query: np.ndarray) -> np.ndarray:
        """Cosine similarity of every row with the unit vector `query`."""
        scores = embeddings.quantised_scores(self.vectors, self.scales, query)
        if len(self.overlay_rows):
            scores[self.overlay_rows] = embeddings.quantised_scores(
                self.overlay_vectors, self.overlay_scales, query
            )
        return scores

    def dense(self) -> tuple[np.ndarray, np.ndarray]:
        """(vectors, scales) of every row with the overlay applied (a copy when there is one)."""
        if not len(self.overlay_rows):
            return self.vectors, self.scales
        vectors, scales = np.array(self.vectors), np.array(self.scales)
        vectors[self.overlay_rows] = self.overlay_vectors
        scales[self.overlay_rows] = self.overlay_scales
        return vectors, scales


_latest: PerVersion[Matrix] = PerVersion()


def matrix(version: tuple) -> Matrix:
    """The matrix of `version` (from this process, from a file another process wrote, or built)."""
    return _latest.get(
        version,
        lambda found: _shared_or_built(version, previous=found, patch=_patch_of(found, version)),
    )


def _patch_of(previous: Matrix | None, version: tuple) -> frozenset[int] | None:
    """The partnerships whose documents may differ between `previous` and `version`, when the
    catalogue's index knows them (it patched `previous`'s version to this one from the change
    log, which logs every write to a search document); None: compare every fingerprint."""
    if previous is None or previous.version[:2] != version[:2]:
        return None
    patched_from = facets.facet_index(version).patched_from
    if patched_from is None or patched_from[0] != previous.version:
        return None
    return patched_from[1]


def forget() -> None:
    """Drop this process's matrix (tests, benchmarks): the next search maps or builds again."""
    _latest.keep(None)


def _shared_or_built(
    version: tuple, previous: Matrix | None, patch: frozenset[int] | None = None
) -> Matrix:
    tag = shared_files.database_tag(version)
    if tag is None:
        return build(version, previous=previous, patch=patch)
    root = shared_files.directory(DIRECTORY)
    final = shared_files.version_path(root, tag, FORMAT, version)
    with shared_files.locked(root, tag):
        if (final / "ids.npy").exists():
            return _load(final, version)
        if previous is None or len(previous.version) < 2 or previous.version[:2] != version[:2]:
            previous, patch = _newest_on_disk(root, tag, version), None
        built = build(version, previous=previous, patch=patch)
        arrays = {
            "fingerprints": built.fingerprints,
            "overlay_rows": built.overlay_rows,
            "overlay_vectors": built.overlay_vectors,
            "overlay_scales": built.overlay_scales,
        }
        links: dict[str, Path] = {}
        if built.files is not None and len(built.overlay_rows) and _complete(built.files):
            links = {f"{name}.npy": built.files / f"{name}.npy" for name in _BASE}
        else:
            arrays |= {"ids": built.ids, "vectors": built.vectors, "scales": built.scales}
        shared_files.write_arrays(final, arrays, links)
        shared_files.clean(root, tag, keep=final)
        return _load(final, version)


_BASE = ("ids", "vectors", "scales")


def _complete(path: Path) -> bool:
    return all((path / f"{name}.npy").exists() for name in _BASE)


def _load(path: Path, version: tuple) -> Matrix:
    overlay = {}
    if (path / "overlay_rows.npy").exists():
        overlay = {
            name: np.load(path / f"{name}.npy")
            for name in ("overlay_rows", "overlay_vectors", "overlay_scales")
        }
    return Matrix(
        version=version,
        ids=np.load(path / "ids.npy"),
        vectors=np.load(path / "vectors.npy", mmap_mode="r"),
        scales=np.load(path / "scales.npy"),
        fingerprints=np.load(path / "fingerprints.npy"),
        files=path,
        **overlay,
    )


def _newest_on_disk(root: Path, tag: str, version: tuple) -> Matrix | None:
    for path in shared_files.others(root, tag):
        with contextlib.suppress(OSError, ValueError):
            return _load(path, ("previous", *version[1:2]))
    return None


def _fingerprints() -> tuple[np.ndarray, np.ndarray]:
    """(ids ascending, fingerprint per id): two short columns of every search document."""
    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT partnership_id, embedded_hash, embedding IS NULL FROM {table} "  # noqa: S608
            "ORDER BY partnership_id"
        )
        rows = cursor.fetchall()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    prints = np.array(
        [f"{r[1] or ''}{'0' if r[2] else '1'}".encode() for r in rows], dtype="S65"
    ).reshape(len(rows))
    return ids, prints


def _patched(version: tuple, previous: Matrix, pks: frozenset[int], started: float) -> Matrix:
    """`previous` with the documents of `pks` read again (added, changed or gone)."""
    wanted = np.fromiter(sorted(pks), dtype=np.int64, count=len(pks))
    rows = list(
        SearchDocument.objects.filter(pk__in=wanted.tolist())
        .order_by("pk")
        .values_list("pk", "embedded_hash", "embedding")
    )
    fresh_ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    fresh_vectors = np.zeros((len(rows), embeddings.DIMENSIONS), dtype=embeddings.QUANTISED)
    fresh_scales = np.zeros(len(rows), dtype=np.float32)
    for i, (_pk, _hash, data) in enumerate(rows):
        _put(fresh_vectors, fresh_scales, i, data)
    fresh_prints = np.array(
        [f"{h or ''}{'1' if data is not None else '0'}".encode() for _, h, data in rows],
        dtype="S65",
    ).reshape(len(rows))
    at = np.searchsorted(previous.ids, fresh_ids).clip(0, max(len(previous.ids) - 1, 0))
    if (
        len(fresh_ids) == len(wanted)
        and len(previous.ids)
        and (previous.ids[at] == fresh_ids).all()
    ):
        # Every changed document is still there: its rows go to the overlay (the files'
        # matrix is neither copied nor written again), up to OVERLAY_LIMIT rows.
        prints = np.array(previous.fingerprints)
        prints[at] = fresh_prints
        overlay_rows = np.concatenate([previous.overlay_rows, at])
        overlay_vectors = np.concatenate([previous.overlay_vectors, fresh_vectors])
        overlay_scales = np.concatenate([previous.overlay_scales, fresh_scales])
        # A row patched twice keeps its newest vector.
        _, newest = np.unique(overlay_rows[::-1], return_index=True)
        keep = np.sort(len(overlay_rows) - 1 - newest)
        if len(keep) <= OVERLAY_LIMIT:
            patched = replace(
                previous,
                version=version,
                fingerprints=prints,
                overlay_rows=overlay_rows[keep],
                overlay_vectors=overlay_vectors[keep],
                overlay_scales=overlay_scales[keep],
            )
            return _finished(patched, len(rows), started, "patch")
        vectors, scales = previous.dense()
        vectors, scales = np.array(vectors), np.array(scales)
        vectors[at], scales[at] = fresh_vectors, fresh_scales
        ids, order = previous.ids, np.arange(len(previous.ids))
    else:
        kept = ~np.isin(previous.ids, wanted)
        ids = np.concatenate([previous.ids[kept], fresh_ids])
        order = np.argsort(ids, kind="stable")
        base_vectors, base_scales = previous.dense()
        vectors = np.concatenate([base_vectors[kept], fresh_vectors])[order]
        scales = np.concatenate([base_scales[kept], fresh_scales])[order]
        prints = np.concatenate([previous.fingerprints[kept], fresh_prints])[order]
    return _finished(
        Matrix(version, ids[order], vectors, scales, prints), len(rows), started, "patch"
    )


def _put(vectors: np.ndarray, scales: np.ndarray, row: int, data) -> None:
    """Row `row` of the quantised matrix from one stored embedding (none: stays zero)."""
    if data:
        quantised, scale = embeddings.quantise(np.frombuffer(bytes(data), dtype=embeddings.DTYPE))
        vectors[row], scales[row] = quantised[0], scale[0]


def _finished(built: Matrix, read: int, started: float, how: str) -> Matrix:
    """`built`, read-only, logged with its size and cost."""
    built.vectors.setflags(write=False)
    built.scales.setflags(write=False)
    elapsed = (time.perf_counter() - started) * 1000
    logger.info("search matrix (%s): %d rows, %d read, %.0f ms", how, len(built.ids), read, elapsed)
    return built


def _read_vectors(ids: np.ndarray) -> dict[int, bytes | memoryview | None]:
    out: dict[int, bytes | memoryview | None] = {}
    wanted = ids.tolist()
    for start in range(0, len(wanted), _FETCH_BATCH):
        chunk = wanted[start : start + _FETCH_BATCH]
        out.update(SearchDocument.objects.filter(pk__in=chunk).values_list("pk", "embedding"))
    return out


def _read_all() -> dict[int, bytes | memoryview | None]:
    return dict(SearchDocument.objects.values_list("pk", "embedding"))


def build(
    version: tuple, previous: Matrix | None = None, patch: frozenset[int] | None = None
) -> Matrix:
    """Read the matrix of the database's current documents, reusing `previous`'s unchanged
    rows (compared by fingerprint) when given; with `patch` (the only partnerships whose
    documents changed since `previous`), only their documents are read."""
    started = time.perf_counter()
    if previous is not None and patch is not None:
        return _patched(version, previous, patch, started)
    ids, prints = _fingerprints()
    vectors = np.zeros((len(ids), embeddings.DIMENSIONS), dtype=embeddings.QUANTISED)
    scales = np.zeros(len(ids), dtype=np.float32)
    fresh = np.ones(len(ids), dtype=bool)
    if previous is not None and len(previous.ids) and len(ids):
        rows = np.minimum(np.searchsorted(previous.ids, ids), len(previous.ids) - 1)
        same = (previous.ids[rows] == ids) & (previous.fingerprints[rows] == prints)
        previous_vectors, previous_scales = previous.dense()
        vectors[same] = previous_vectors[rows[same]]
        scales[same] = previous_scales[rows[same]]
        fresh = ~same
    wanted = ids[fresh]
    stored = _read_all() if len(wanted) == len(ids) else _read_vectors(wanted)
    for row, pk in zip(np.flatnonzero(fresh).tolist(), wanted.tolist(), strict=True):
        _put(vectors, scales, row, stored.get(pk))
    return _finished(Matrix(version, ids, vectors, scales, prints), len(wanted), started, "build")
