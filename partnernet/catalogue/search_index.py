"""Search over the stored documents: whole-token matching in the database's own full-text
index, meaning by cosine similarity of stored embeddings, one ranking (`search.combined_score`).
"""

import logging
import threading

import numpy as np
from django.db import connection

from partnernet.lib import embeddings

from . import search
from .models import SearchDocument

logger = logging.getLogger("partnernet.catalogue")
SEARCH_LIMIT = 500
_matrix_lock = threading.Lock()
_matrix_cache: dict[str, tuple] = {}


def index_version() -> tuple:
    """Changes whenever a document is written or removed: count and last change."""
    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX(updated_at) FROM {table}")  # noqa: S608
        count, last = cursor.fetchone()
    return (connection.alias, connection.settings_dict["NAME"], count, str(last))


def lexical_ids(groups: list[list[str]], *, names_only: bool = False) -> set[int]:
    """Partnerships whose document holds every query word (in the names only, if asked)."""
    if not groups:
        return set()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            table = SearchDocument._meta.db_table
            sql = f"SELECT partnership_id FROM {table} WHERE vector @@ to_tsquery('simple', %s)"  # noqa: S608
            cursor.execute(sql, [search.tsquery(groups, names_only)])
        else:
            sql = "SELECT rowid FROM catalogue_searchfts WHERE catalogue_searchfts MATCH %s"
            cursor.execute(sql, [search.fts5_query(groups, names_only)])
        return {row[0] for row in cursor.fetchall()}


def embedding_matrix() -> tuple[np.ndarray, np.ndarray]:
    """(ids, unit vectors) of every indexed partnership, read once per index version."""
    version = index_version()
    cached = _matrix_cache.get("matrix")
    if cached and cached[0] == version:
        return cached[1], cached[2]
    with _matrix_lock:
        rows = list(SearchDocument.objects.order_by("pk").values_list("pk", "embedding"))
        ids = np.array([pk for pk, _ in rows], dtype=np.int64)
        matrix = embeddings.matrix_from_bytes([data for _, data in rows])
        _matrix_cache["matrix"] = (version, ids, matrix)
    return ids, matrix


def semantic_scores(q: str) -> dict[int, float]:
    """Cosine similarity of the query to every indexed partnership (empty without a model)."""
    vector = embeddings.embed_query(q)
    if vector is None:
        return {}
    ids, matrix = embedding_matrix()
    if not len(ids):
        return {}
    cosines = matrix @ vector
    return dict(zip(ids.tolist(), cosines.astype(float).tolist(), strict=True))


def search_ranking(q: str) -> list[int]:
    """Ids of matching partnerships, best first (published or not: callers filter)."""
    groups = search.query_groups(q)
    everywhere = lexical_ids(groups)
    in_names = lexical_ids(groups, names_only=True) if everywhere else set()
    cosines = semantic_scores(q)
    candidates = set(everywhere)
    if cosines:
        threshold = search.semantic_threshold(max(cosines.values()))
        candidates |= {pk for pk, cosine in cosines.items() if cosine >= threshold}
    scores = {
        pk: search.combined_score(lexical=2 if pk in in_names else 1 if pk in everywhere else 0,
                                  cosine=cosines.get(pk))
        for pk in candidates
    }  # fmt: skip
    return sorted(scores, key=lambda pk: (-scores[pk], pk))[:SEARCH_LIMIT]
