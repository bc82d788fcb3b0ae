"""Reads from the registry: spelling-tolerant search and lookups by official code."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from partnernet.lib.text import clean_input, fold, loose

from .models import Country, Municipality

SEARCH_LIMIT = 50


def country_list() -> list[Country]:
    """The countries that have a government in the registry, by code."""
    return list(Country.objects.filter(municipalities__isnull=False).distinct().order_by("code"))


def municipality_list() -> QuerySet[Municipality]:
    return Municipality.objects.select_related("country", "region", "raion")


def municipality_get(*, code: str) -> Municipality:
    return municipality_list().get(code=code)


def municipality_search(*, query: str, country: str = "", limit: int = SEARCH_LIMIT) -> QuerySet:
    """Municipalities whose any spelling matches `query`: exact names first, then prefixes.

    Matching is done on the stored `|spelling|spelling|` text with LIKE, which behaves the
    same on SQLite and PostgreSQL; ranking is an SQL CASE, ties broken by name and code.
    """
    queryset = municipality_list()
    if country:
        queryset = queryset.filter(country_id=country.upper()[:2])
    keys = search_keys(query)
    if not keys:
        return (
            queryset.order_by("country_id", "name", "code")[:limit] if country else queryset.none()
        )
    code = clean_input(query, 40).upper()
    match = Q(code=code)
    exact, prefix = Q(code=code), Q()
    for key in keys:
        match |= Q(search_text__contains=key)
        exact |= Q(search_text__contains=f"|{key}|")
        prefix |= Q(search_text__contains=f"|{key}") | Q(search_text__contains=f" {key}")
    rank = Case(
        When(exact, then=Value(0)),
        When(prefix, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.filter(match).annotate(rank=rank).order_by("rank", "name", "code")[:limit]


def search_keys(query: str) -> list[str]:
    text = clean_input(query, 100)
    return [k for k in dict.fromkeys((fold(text), loose(text))) if len(k) >= 2]
