"""Reads from the registry: spelling-tolerant search and lookups by official code."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from partnernet.lib.text import clean_input, fold, loose

from .models import Municipality

SEARCH_LIMIT = 50
LOOSE_PREFIX = 5  # a loose key this long may match the start of a name
INFIX = 4  # a folded key this long may match inside a name


def municipality_list() -> QuerySet[Municipality]:
    return Municipality.objects.select_related("country", "region", "raion")


def municipality_get(*, code: str) -> Municipality:
    return municipality_list().get(code=code)


def municipality_search(*, query: str, country: str = "", limit: int = SEARCH_LIMIT) -> QuerySet:
    """Municipalities whose any spelling matches `query`, best first (`search_plan`): the code
    or a whole name, then names that begin with the query, then names that begin with it in
    another transliteration, then (folded queries of 4+ letters) names that contain it.

    Matching is done on the stored `|spelling|spelling|` text with LIKE, which behaves the
    same on SQLite and PostgreSQL; ranking is an SQL CASE, ties broken by name and code.
    """
    queryset = municipality_list()
    if country:
        queryset = queryset.filter(country_id=country.upper()[:2])
    plan = search_plan(query)
    if plan is None:
        return (
            queryset.order_by("country_id", "name", "code")[:limit] if country else queryset.none()
        )
    levels = [Q(code=plan.code) | _any(f"|{k}|" for k in plan.exact)]
    levels += [_any(f"{edge}{k}" for k in keys for edge in "| ") for keys in plan.prefixes]
    if plan.infix:
        levels.append(_any(plan.infix))
    # Every level's match contains the folded or the loose key: two LIKEs per row find the few
    # candidates, and only those are ranked (a row no level takes is left out).
    candidates = Q(code=plan.code) | _any(plan.exact)
    rank = Case(
        *[When(level, then=Value(i)) for i, level in enumerate(levels)],
        default=Value(len(levels)),
        output_field=IntegerField(),
    )
    return (
        queryset.filter(candidates)
        .annotate(rank=rank)
        .exclude(rank=len(levels))
        .order_by("rank", "name", "code")[:limit]
    )


def _any(patterns: Iterable[str]) -> Q:
    q = Q()
    for pattern in patterns:
        q |= Q(search_text__contains=pattern)
    return q


@dataclass(frozen=True)
class SearchPlan:
    """What a registry query asks for, level by level (pure: tested without a database)."""

    code: str
    exact: tuple[str, ...]  # a whole spelling, folded or loose
    prefixes: tuple[tuple[str, ...], ...]  # the start of a spelling or of a word in it
    infix: tuple[str, ...]  # anywhere in a spelling


def search_plan(query: str) -> SearchPlan | None:
    """The levels of a registry search. Loose keys (kh/h/ch, y/i/j merged) are fuzzy: they
    count as a whole name, and as the start of one only from LOOSE_PREFIX letters on, so
    "Kyiv" (loose "kiv") never brings Kivertsi or Kharkiv."""
    text = clean_input(query, 100)
    folded, loosened = fold(text), loose(text)
    if len(folded) < 2 and len(loosened) < 2:
        return None
    keys = tuple(k for k in dict.fromkeys((folded, loosened)) if len(k) >= 2)
    prefixes = [(folded,)] if len(folded) >= 2 else []
    if loosened != folded and len(loosened) >= LOOSE_PREFIX:
        prefixes.append((loosened,))
    return SearchPlan(
        code=clean_input(query, 40).upper(),
        exact=keys,
        prefixes=tuple(prefixes),
        infix=(folded,) if len(folded) >= INFIX else (),
    )


def search_keys(query: str) -> list[str]:
    """The folded and loose keys of a query (2+ letters): what a whole spelling is matched by."""
    plan = search_plan(query)
    return list(plan.exact) if plan else []
