"""Search over the stored documents: whole-token matching in the database's own full-text
index, meaning by cosine similarity of stored embeddings, one ranking (`search.combined_score`).

Everything here reads a `QueryPlan` (`plan.query_plan`): the query is parsed and embedded
before it reaches the database, never in here.
"""

import logging

import numpy as np
from django.db import connection

from . import matrix_store, postings, search
from .facets import data_version
from .models import SearchDocument
from .plan import QueryPlan

logger = logging.getLogger("partnernet.catalogue")
_EMPTY_IDS = np.zeros(0, dtype=np.int64)


def index_version() -> tuple:
    """Changes whenever a partnership or its search document is written or removed."""
    return data_version()


def lexical_arrays(plan: QueryPlan, version: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(ids ascending, whether every query word is in the names) of the partnerships whose
    document holds every query word: every hit, no limit, from the postings in memory
    (`postings`), which answer as the database's full-text indexes do
    (`database_lexical_arrays`)."""
    if not plan.groups:
        return _EMPTY_IDS, np.zeros(0, dtype=bool)
    return postings.postings(version or index_version()).hits(plan.groups)


def database_lexical_arrays(plan: QueryPlan) -> tuple[np.ndarray, np.ndarray]:
    """`lexical_arrays` asked of the database's full-text indexes (GIN, FTS5): what the
    postings are tested against.

    Only ids leave the full-text indexes, in two GIN queries without weights (so nothing is
    rechecked and no stored vector is read): every hit, then the hits in the names, from the
    names' own index (catalogue 0006; asking `vector` for `word:A` rechecked every candidate,
    50-70 ms at 100 000 documents against 0.1 ms)."""
    if not plan.groups:
        return _EMPTY_IDS, np.zeros(0, dtype=bool)
    if connection.vendor == "postgresql":
        table = SearchDocument._meta.db_table
        sql = f"SELECT partnership_id FROM {table} WHERE vector @@ to_tsquery('simple', %s)"  # noqa: S608
        names = (
            f"SELECT partnership_id FROM {table} "  # noqa: S608
            "WHERE to_tsvector('simple', names) @@ to_tsquery('simple', %s)"
        )
        # The planner prices `@@` too low and scans the whole table (detoasting every vector,
        # 5-15x slower than the GIN index at 10 000 documents): steer it to the index.
        # One statement string, so the setting lives only in its own (implicit) transaction.
        with connection.cursor() as cursor:
            cursor.execute(
                "SET LOCAL enable_seqscan = off; " + sql + "; " + names,
                [plan.tsquery, plan.tsquery],
            )
            if cursor.cursor.nextset() is False:  # psycopg: the SELECTs' rows follow the SET's
                return _EMPTY_IDS, np.zeros(0, dtype=bool)
            everywhere = _ids(cursor.fetchall())
            cursor.cursor.nextset()
            in_names = _ids(cursor.fetchall())
        return everywhere, np.isin(everywhere, in_names, assume_unique=True)
    everywhere = _fts5(plan.fts5)
    in_names = _fts5(plan.fts5_names) if len(everywhere) else _EMPTY_IDS
    return everywhere, np.isin(everywhere, in_names, assume_unique=True)


def lexical_hits(plan: QueryPlan) -> dict[int, bool]:
    """Partnerships whose document holds every query word → whether all are in the names."""
    ids, names = lexical_arrays(plan)
    return dict(zip(ids.tolist(), names.tolist(), strict=True))


def lexical_ids(plan: QueryPlan, *, names_only: bool = False) -> set[int]:
    ids, names = lexical_arrays(plan)
    return set((ids[names] if names_only else ids).tolist())


def _fts5(match: str) -> np.ndarray:
    with connection.cursor() as cursor:
        sql = "SELECT rowid FROM catalogue_searchfts WHERE catalogue_searchfts MATCH %s"
        cursor.execute(sql, [match])
        return _ids(cursor.fetchall())


def _ids(rows: list) -> np.ndarray:
    """Sorted unique int64 ids of the rows' first column."""
    return np.unique(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))


def semantic_scores(plan: QueryPlan, version: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(ids, cosine similarity of the query) for every indexed partnership; empty without a
    model."""
    vector = plan.embedding
    if vector is None:
        return _EMPTY_IDS, np.zeros(0, dtype=np.float32)
    found = matrix_store.matrix(version or index_version())
    return found.ids, found.scores(vector)


def ranked_ids(plan: QueryPlan, version: tuple | None = None) -> np.ndarray:
    """`search_ranking` as an int64 array: every lexical hit and at most
    `search.SEMANTIC_LIMIT` semantic-only hits, by `search.combined_score`, ties by id.

    Vectorised: the score of each hit is `LEXICAL_WEIGHT * level + cosine` computed in float64
    exactly as `search.combined_score` computes it (a test compares with it hit by hit).
    The query is embedded while the database finds the lexical hits."""
    plan.embed_soon()
    version = version or index_version()
    lex_ids, in_names = lexical_arrays(plan, version)
    ids, cosines = semantic_scores(plan, version)
    level = np.where(in_names, 2.0, 1.0)
    lex_cosine = np.zeros(len(lex_ids), dtype=np.float64)
    extra_ids, extra_cosine = _EMPTY_IDS, np.zeros(0, dtype=np.float64)
    if len(ids):
        if len(lex_ids):
            rows = np.minimum(np.searchsorted(ids, lex_ids), len(ids) - 1)
            found = ids[rows] == lex_ids
            lex_cosine[found] = cosines[rows[found]].astype(np.float64)
        close = search.semantic_rows(cosines)
        semantic_only = ~np.isin(ids[close], lex_ids, assume_unique=True)
        extra_ids = ids[close][semantic_only]
        extra_cosine = cosines[close][semantic_only].astype(np.float64)
    all_ids = np.concatenate([lex_ids, extra_ids])
    scores = np.concatenate([search.LEXICAL_WEIGHT * level + lex_cosine, extra_cosine])
    return all_ids[np.lexsort((all_ids, -scores))]


def search_ranking(plan: QueryPlan, version: tuple | None = None) -> list[int]:
    """Ids of matching partnerships, best first (published or not: callers filter): every
    lexical hit, so a broad query counts all the partnerships it matches."""
    return ranked_ids(plan, version).tolist()
