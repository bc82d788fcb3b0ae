"""Search over the stored documents: whole-token matching in the database's own full-text
index, meaning by cosine similarity of stored embeddings, one ranking (`search.combined_score`).

Everything here reads a `QueryPlan` (`plan.query_plan`): the query is parsed and embedded
before it reaches the database, never in here.
"""

import logging
import threading

import numpy as np
from django.db import connection

from partnernet.lib import embeddings

from . import search
from .facets import data_version
from .models import SearchDocument
from .plan import QueryPlan

logger = logging.getLogger("partnernet.catalogue")
SEARCH_LIMIT = 500
_matrix_lock = threading.Lock()
_matrix_cache: dict[str, tuple] = {}


def index_version() -> tuple:
    """Changes whenever a partnership or its search document is written or removed."""
    return data_version()


def lexical_hits(plan: QueryPlan) -> dict[int, bool]:
    """Partnerships whose document holds every query word → whether all are in the names."""
    if not plan.groups:
        return {}
    if connection.vendor == "postgresql":
        table = SearchDocument._meta.db_table
        sql = (
            f"SELECT partnership_id, vector @@ to_tsquery('simple', %s) FROM {table} "  # noqa: S608
            "WHERE vector @@ to_tsquery('simple', %s)"
        )
        # The planner prices `@@` too low and scans the whole table (detoasting every vector,
        # 5-15x slower than the GIN index at 10 000 documents): steer it to the index.
        # One statement string, so the setting lives only in its own (implicit) transaction.
        with connection.cursor() as cursor:
            cursor.execute(
                "SET LOCAL enable_seqscan = off; " + sql,
                [plan.tsquery_names, plan.tsquery],
            )
            if cursor.cursor.nextset() is False:  # psycopg: the SELECT's rows follow the SET's
                return {}
            rows = cursor.fetchall()
        return {pk: bool(in_names) for pk, in_names in rows}
    everywhere = _fts5(plan.fts5)
    in_names = _fts5(plan.fts5_names) if everywhere else set()
    return {pk: pk in in_names for pk in everywhere}


def lexical_ids(plan: QueryPlan, *, names_only: bool = False) -> set[int]:
    hits = lexical_hits(plan)
    return {pk for pk, in_names in hits.items() if in_names or not names_only}


def _fts5(match: str) -> set[int]:
    with connection.cursor() as cursor:
        sql = "SELECT rowid FROM catalogue_searchfts WHERE catalogue_searchfts MATCH %s"
        cursor.execute(sql, [match])
        return {row[0] for row in cursor.fetchall()}


def embedding_matrix(version: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(ids, unit vectors) of every indexed partnership, read once per index version."""
    version = version or index_version()
    cached = _matrix_cache.get("matrix")
    if cached and cached[0] == version:
        return cached[1], cached[2]
    with _matrix_lock:
        rows = list(SearchDocument.objects.order_by("pk").values_list("pk", "embedding"))
        ids = np.array([pk for pk, _ in rows], dtype=np.int64)
        matrix = embeddings.matrix_from_bytes([data for _, data in rows])
        _matrix_cache["matrix"] = (version, ids, matrix)
    return ids, matrix


def semantic_scores(plan: QueryPlan, version: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(ids, cosine similarity of the query) for every indexed partnership; empty without a
    model."""
    vector = plan.embedding
    if vector is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    ids, matrix = embedding_matrix(version)
    return ids, matrix @ vector


def search_ranking(plan: QueryPlan, version: tuple | None = None) -> list[int]:
    """Ids of matching partnerships, best first (published or not: callers filter)."""
    hits = lexical_hits(plan)
    ids, cosines = semantic_scores(plan, version)
    cosine_of: dict[int, float] = {}
    if len(ids):
        close = search.semantic_rows(cosines)
        cosine_of = dict(
            zip(ids[close].tolist(), cosines[close].astype(float).tolist(), strict=True)
        )
        if hits:
            rows = np.searchsorted(ids, np.fromiter(hits, dtype=np.int64))
            rows = np.minimum(rows, len(ids) - 1)
            for pk, row in zip(hits, rows.tolist(), strict=True):
                if ids[row] == pk:
                    cosine_of[pk] = float(cosines[row])
    scores = {
        pk: search.combined_score(
            lexical=(2 if hits[pk] else 1) if pk in hits else 0, cosine=cosine_of.get(pk)
        )
        for pk in set(hits) | set(cosine_of)
    }
    return sorted(scores, key=lambda pk: (-scores[pk], pk))[:SEARCH_LIMIT]
