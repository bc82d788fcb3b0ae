"""Reads for the public catalogue: facet filters, text search, sorting and facet counts over
published partnerships, all read from the public projection.

`catalogue_partnerships(query)` is the one entry point used by the pages, the API and the open
data, so that publication control, filter semantics and search are identical everywhere.
"""

import numpy as np
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Func, IntegerField, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils.translation import get_language

from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.projection import PublicPartnership
from partnernet.partnerships.selectors import (
    partnership_public_list,
    partnership_public_page,
    partnerships_public,
)

from . import search_index
from .facets import (  # noqa: F401  (one import place)
    FacetIndex,
    FacetOption,
    catalogue_facets,
    data_version,
    facet_index,
    id_array,
    matching_ids,
    matching_mask,
    sorted_ids,
    sorted_rows,
)
from .filters import CatalogueQuery
from .plan import QueryPlan, query_plan


def catalogue_ids(
    query: CatalogueQuery, *, ranked: list[int] | None = None, version: tuple | None = None
) -> list[int]:
    """Ids of the published partnerships matching every active filter and the text query
    `q`, in the requested stable order (with `q` and no explicit sort, best matches first).

    Filters and sort keys come from the public index, built from the public projection: a
    value kept private can neither be filtered on nor sorted by. `ranked` passes the result of
    `catalogue_search(query)` and `version` the `catalogue_version()` when the caller already
    has them."""
    ids: list[int] = catalogue_id_array(query, ranked=ranked, version=version).tolist()
    return ids


def catalogue_id_array(
    query: CatalogueQuery,
    *,
    ranked: list[int] | np.ndarray | None = None,
    version: tuple | None = None,
) -> np.ndarray:
    """`catalogue_ids` as a numpy array of int64 ids (no Python int per id): pages and the API
    page over it and turn only one page of ids into Python ints."""
    index = facet_index(version)
    mask = matching_mask(index, query)
    language = get_language() or "sv"
    if query.q:
        if ranked is None:
            ranked = catalogue_ranked(query, version=index.version)
        wanted = id_array(ranked)
        if query.sort in ("", "relevance"):
            # Best first, each id once (its first place), only those matching the filters.
            _, first = np.unique(wanted, return_index=True)
            wanted = wanted[np.sort(first)]
            rows = np.searchsorted(index.ids, wanted).clip(0, max(len(index) - 1, 0))
            found = (index.ids[rows] == wanted) if len(index) else np.zeros(len(wanted), bool)
            keep = found.copy()
            keep[found] = mask[rows[found]]
            result: np.ndarray = wanted[keep]
            return result
        mask &= index.rows_of(wanted)
    sort = "title" if query.sort in ("", "relevance") else query.sort
    return sorted_rows(index, mask, sort, language)


def catalogue_row_mask(
    query: CatalogueQuery,
    *,
    ranked: list[int] | np.ndarray | None = None,
    version: tuple | None = None,
) -> tuple[FacetIndex, np.ndarray]:
    """(the index, the mask of its rows) of the partnerships `catalogue_id_array` lists, in no
    order: for answers that count them rather than list them (the map)."""
    index = facet_index(version)
    mask = matching_mask(index, query)
    if query.q:
        if ranked is None:
            ranked = catalogue_ranked(query, version=index.version)
        mask &= index.rows_of(id_array(ranked))
    return index, mask


def catalogue_partnerships(
    query: CatalogueQuery, *, ranked: list[int] | None = None, version: tuple | None = None
) -> QuerySet[Partnership]:
    """Published partnerships in the order of `catalogue_ids` (rows, not yet projected: read
    them through `partnerships_public` before showing them)."""
    ids = catalogue_ids(query, ranked=ranked, version=version)
    return partnership_public_list().filter(id__in=ids).order_by(_position(ids), "slug")


def catalogue_ranked(
    query: CatalogueQuery, *, version: tuple | None = None, plan: QueryPlan | None = None
) -> np.ndarray | None:
    """The hits of `catalogue_search` as an int64 array (no Python int per hit: a broad query
    matches nearly every partnership)."""
    if not query.q:
        return None
    if plan is None or plan.text != query.q:
        plan = query_plan(query.q)
    return search_index.ranked_ids(plan, version)


def catalogue_search(
    query: CatalogueQuery, *, version: tuple | None = None, plan: QueryPlan | None = None
) -> list[int] | None:
    """Ids matching the text query, best first (None without a text query); not yet filtered
    for publication: `catalogue_partnerships` does that. `version`: `catalogue_version()` when
    the caller has it already; `plan`: `query_plan(query.q)` when the caller needs the parsed
    query too (for highlighting), so that it is parsed and embedded once."""
    ranked = catalogue_ranked(query, version=version, plan=plan)
    return None if ranked is None else ranked.tolist()


def catalogue_version() -> tuple:
    """Changes with any write to partnerships or their search documents."""
    return data_version()


class Position(Func):
    """The place of `id` in a list of ids: cheap to build and to run for hundreds of ids
    (`array_position` on PostgreSQL, `instr` on a comma-joined string elsewhere)."""

    output_field = IntegerField()

    def __init__(self, ids: list[int]):
        self.ids = [int(pk) for pk in ids]
        super().__init__(F("id"))

    # django-stubs types the parameters as a tuple of str | int (Django 6); Django 5.2 builds
    # and takes a list, and PostgreSQL's array parameter is a list of ids.
    def as_sql(  # type: ignore[override]
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra: object,
    ) -> tuple[str, list[str | int]]:
        column, params = compiler.compile(self.source_expressions[0])
        joined = "," + ",".join(map(str, self.ids)) + ","
        return f"instr(%s, ',' || {column} || ',')", [joined, *params]

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: object
    ) -> tuple[str, list[str | int | list[int]]]:
        column, params = compiler.compile(self.source_expressions[0])
        return f"array_position(%s::bigint[], {column})", [self.ids, *params]


def _position(ids: list[int]) -> Position:
    return Position(ids)


def municipality_partnerships(*, municipality: Municipality) -> list[PublicPartnership]:
    """The public projections of the published partnerships in which `municipality` is a
    public partner (never one where it is the partner kept private), by public title."""
    index = facet_index()
    mask = index.rows_with("swedish_partner", [municipality.code])
    mask |= index.rows_with("partner", [municipality.code])
    ordered = sorted_rows(index, mask, "title", get_language() or "sv").tolist()
    rows = partnership_public_page(ordered, generation=index.vocabulary, goals_and_tags=False)
    return partnerships_public(rows[pk] for pk in ordered if pk in rows)
