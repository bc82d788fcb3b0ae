"""Meaning across languages, without the language itself.

multilingual-e5-small puts texts of the same language close together whatever they say: a
Ukrainian need is nearer to any other Ukrainian text than to the Swedish offer that answers it.
We remove that: from each vector we subtract the centroid of its language, measured once on
parallel texts (the seed partnerships' summaries and descriptions, which exist in sv, en and
uk and say the same things), and normalise again. What remains is mostly topic. The centroids
are stored in `data/language_centroids.json`; `python -m partnernet.matchmaking.meaning`
measures them again.
"""

import functools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import numpy as np

from partnernet.lib import embeddings
from partnernet.lib.translit import has_cyrillic
from partnernet.partnerships import seed

CENTROIDS = Path(__file__).resolve().parent / "data" / "language_centroids.json"
_SWEDISH = re.compile(r"[åäö]|\b(och|att|för|med|som|av|kommun)\b", re.IGNORECASE)


@functools.cache
def centroids() -> Mapping[str, np.ndarray]:
    """The mean vector of each language's texts, read once per process and shared by every
    thread: read-only (a mapping proxy of read-only arrays), so no caller can change another's."""
    raw = json.loads(CENTROIDS.read_text(encoding="utf-8"))
    vectors = {lang: np.asarray(values, dtype=np.float32) for lang, values in raw.items()}
    for vector in vectors.values():
        vector.setflags(write=False)
    return MappingProxyType(vectors)


def guess_language(text: str) -> str:
    """uk for Cyrillic, sv for Swedish letters or words, en otherwise (enough for centroids)."""
    if has_cyrillic(text):
        return "uk"
    return "sv" if _SWEDISH.search(text) else "en"


def topic_vector(vector: np.ndarray | None, language: str) -> np.ndarray | None:
    """The vector without its language component, as a unit vector."""
    if vector is None:
        return None
    centre = centroids().get(language)
    shifted = np.asarray(vector, dtype=np.float32) - (centre if centre is not None else 0)
    norm = float(np.linalg.norm(shifted))
    return shifted / norm if norm else None


def measure() -> dict[str, list[float]]:
    result = {}
    for lang in ("sv", "en", "uk"):
        texts = [p[f"{f}_{lang}"] for p in seed.PARTNERSHIPS for f in ("summary", "description")]
        vectors = embeddings.embed_passages(texts)
        if vectors is None:  # writing empty centroids would silently disable the correction
            raise RuntimeError("The embedding model is not available: nothing to measure.")
        result[lang] = [round(float(x), 6) for x in vectors.mean(axis=0)]
    return result


if __name__ == "__main__":
    CENTROIDS.write_text(json.dumps(measure()), encoding="utf-8")
