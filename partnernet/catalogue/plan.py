"""The catalogue's text query, parsed once per request into everything search reads.

`query_plan(q)` cuts the query into words and their forms (`search.query_groups`), writes the
full-text queries for both databases from them, and embeds the query on first use. Ranking
(`search_index`), facets (through the ranked ids) and highlighting (`pages.highlighted`) all
read the same plan; nothing parses the query again after it exists.

No database here: a plan is plain values, the same on SQLite and PostgreSQL.
"""

from dataclasses import dataclass

import numpy as np

from partnernet.lib import embeddings

from . import search


@dataclass(frozen=True)
class QueryPlan:
    """A parsed text query. `text` is the query as the catalogue received it (already cleaned
    by `CatalogueQuery`); `groups` holds one group of alternative tokens per query word."""

    text: str
    groups: tuple[tuple[str, ...], ...] = ()
    tsquery: str = ""  # PostgreSQL to_tsquery('simple', …): every word, anywhere
    fts5: str = ""  # SQLite FTS5 MATCH: every word, anywhere
    fts5_names: str = ""  # … every word in the names

    @property
    def embedding(self) -> np.ndarray | None:
        """The query's unit vector (None without text or without a model), computed on first
        use (or by `embed_soon`) and kept on the plan: a request embeds its query at most once.

        Not `functools.cached_property`: on Python 3.11 its lock is shared by every plan, so
        requests in other threads would wait for each other's embedding."""
        try:
            return self.__dict__["_embedding"]
        except KeyError:
            pending = self.__dict__.get("_pending")
            if pending is not None:
                vector = pending.result()
            else:
                vector = embeddings.embed_query(self.text) if self.text.strip() else None
            object.__setattr__(self, "_embedding", vector)  # a cache, not a field: still frozen
            return vector

    def embed_soon(self) -> None:
        """Start embedding the query in the background (`embeddings.embed_query_soon`), so the
        database answers the lexical part meanwhile; `embedding` then waits for it."""
        if (
            self.text.strip()
            and "_embedding" not in self.__dict__
            and "_pending" not in self.__dict__
        ):
            object.__setattr__(self, "_pending", embeddings.embed_query_soon(self.text))


def query_plan(q: str) -> QueryPlan:
    """The one parse of a text query (cheap: no embedding until `embedding` is read)."""
    if not q.strip():
        return QueryPlan(text=q)
    groups = tuple(tuple(group) for group in search.query_groups(q))
    return QueryPlan(
        text=q,
        groups=groups,
        tsquery=search.tsquery(groups),
        fts5=search.fts5_query(groups),
        fts5_names=search.fts5_query(groups, names_only=True),
    )
