"""Reads for the public catalogue: facet filters, text search and facet counts over published
partnerships.

`catalogue_partnerships(query)` is the one entry point used by the pages, the API and the open
data, so that publication control, filter semantics and search are identical everywhere.
"""

from django.db.models import F, Func, IntegerField, QuerySet

from partnernet.partnerships.models import Partnership
from partnernet.partnerships.selectors import partnership_public_list

from . import search_index
from .facets import FacetOption, catalogue_facets, data_version  # noqa: F401  (one import place)
from .filters import CatalogueQuery

FACET_LOOKUPS = {
    "country": "partner__country_id__in",
    "swedish_partner": "swedish_partner__code__in",
    "partner": "partner__code__in",
    "area": "area__slug__in",
    "sdg": "goals__number__in",
    "tag": "tags__slug__in",
    "network": "network__slug__in",
    "phase": "phase__in",
    "status": "status__in",
    "year": "start_date__year__in",
}
ORDERINGS = {
    "title": ("title", "slug"),
    "start": ("start_date", "slug"),
    "-start": ("-start_date", "slug"),
    "swedish_partner": ("swedish_partner__name", "slug"),
    "partner": ("partner__name", "slug"),
}


def apply_facets(queryset: QuerySet, query: CatalogueQuery) -> QuerySet:
    """Values within one facet are alternatives (OR); different facets combine (AND)."""
    for name, values in query.active_filters().items():
        ids = Partnership.objects.filter(**{FACET_LOOKUPS[name]: values}).values("id")
        queryset = queryset.filter(id__in=ids)
    return queryset


def catalogue_partnerships(
    query: CatalogueQuery, *, ranked: list[int] | None = None
) -> QuerySet[Partnership]:
    """Published partnerships matching every active filter and the text query `q`, in the
    requested stable order; with `q` and no explicit sort, the best matches come first.

    `ranked` passes the result of `catalogue_search(query)` when the caller already has it."""
    queryset = apply_facets(partnership_public_list(), query)
    if query.q:
        ranked = catalogue_search(query) if ranked is None else ranked
        queryset = queryset.filter(id__in=ranked)
        if query.sort in ("", "relevance"):
            return queryset.order_by(_position(ranked), "slug")
    if query.sort == "relevance":
        return queryset.order_by(*ORDERINGS["title"])
    return queryset.order_by(*ORDERINGS.get(query.sort or "title", ORDERINGS["title"]))


def catalogue_search(query: CatalogueQuery, *, version: tuple | None = None) -> list[int] | None:
    """Ids matching the text query, best first (None without a text query); not yet filtered
    for publication: `catalogue_partnerships` does that. `version`: `catalogue_version()` when
    the caller has it already."""
    return search_index.search_ranking(query.q, version) if query.q else None


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

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        joined = "," + ",".join(map(str, self.ids)) + ","
        return f"instr(%s, ',' || {column} || ',')", [joined, *params]

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"array_position(%s::bigint[], {column})", [self.ids, *params]


def _position(ids: list[int]) -> Position:
    return Position(ids)


def municipality_partnerships(*, municipality) -> QuerySet[Partnership]:
    """Published partnerships in which `municipality` is either partner."""
    from django.db.models import Q

    return (
        partnership_public_list()
        .filter(Q(swedish_partner=municipality) | Q(partner=municipality))
        .order_by("title", "slug")
    )
