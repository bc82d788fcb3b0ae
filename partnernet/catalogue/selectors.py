"""Reads for the public catalogue: facet filters over published partnerships.

`catalogue_partnerships(query)` is the one entry point used by the pages, the API and the open
data, so that publication control and filter semantics are identical everywhere.
"""

from django.db.models import QuerySet

from partnernet.partnerships.models import Partnership
from partnernet.partnerships.selectors import partnership_public_list

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


def catalogue_partnerships(query: CatalogueQuery) -> QuerySet[Partnership]:
    """Published partnerships matching every active filter, in the requested stable order."""
    queryset = apply_facets(partnership_public_list(), query)
    return queryset.order_by(*ORDERINGS.get(query.sort or "title", ORDERINGS["title"]))
