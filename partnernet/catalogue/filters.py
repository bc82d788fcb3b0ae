"""The catalogue's query: one parser shared by the public pages, the API and the open data.

`CatalogueQuery.from_params` turns query parameters (a QueryDict or a plain dict of lists)
into plain, validated values; unknown or malformed values are dropped and reported in
`problems`, never raised, so a bad link still shows a page.
"""

import re
from dataclasses import dataclass, field, fields

from partnernet.lib.text import clean_input
from partnernet.municipalities.countries import CODE_PATTERN

SORTS = ("title", "-start", "start", "swedish_partner", "partner", "relevance")
MULTI = (
    "country",
    "swedish_partner",
    "partner",
    "area",
    "sdg",
    "tag",
    "network",
    "phase",
    "status",
    "year",
)
SLUG = re.compile(r"^[a-z0-9-]{1,80}$")
CODE = re.compile(CODE_PATTERN, re.ASCII)  # not other scripts' digits


@dataclass(frozen=True)
class CatalogueQuery:
    q: str = ""
    country: tuple[str, ...] = ()
    swedish_partner: tuple[str, ...] = ()
    partner: tuple[str, ...] = ()
    area: tuple[str, ...] = ()
    sdg: tuple[int, ...] = ()
    tag: tuple[str, ...] = ()
    network: tuple[str, ...] = ()
    phase: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    year: tuple[int, ...] = ()
    sort: str = ""
    page: int = 1
    problems: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_params(cls, params) -> "CatalogueQuery":
        getlist = (
            params.getlist if hasattr(params, "getlist") else lambda k: _as_list(params.get(k))
        )
        values, problems = {}, []
        for name in MULTI:
            raw = [v for item in getlist(name) for v in str(item).split(",") if v.strip()]
            parsed = [_parse(name, v.strip()) for v in raw[:50]]
            problems += [name for p in parsed if p is None]
            values[name] = tuple(dict.fromkeys(p for p in parsed if p is not None))
        q = clean_input(" ".join(getlist("q")), 200)
        sort = next(iter(getlist("sort")), "")
        if sort and sort not in SORTS:
            problems.append("sort")
            sort = ""
        page = _positive_int(next(iter(getlist("page")), "1")) or 1
        return cls(q=q, sort=sort, page=min(page, 10_000), problems=tuple(problems), **values)

    def active_filters(self) -> dict[str, tuple]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name in MULTI and getattr(self, f.name)
        }

    def without(self, name: str) -> "CatalogueQuery":
        """The same query with one facet cleared: its counts reflect the other active filters."""
        return _replace(self, **{name: ()})


def _replace(query: CatalogueQuery, **changes) -> CatalogueQuery:
    from dataclasses import replace

    return replace(query, **changes)


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _positive_int(value: str) -> int | None:
    # ASCII digits only: "²" is a digit to str.isdigit() but not to int().
    digits = re.fullmatch(r"[0-9]{1,6}", str(value))
    return int(value) if digits and int(value) > 0 else None


def _parse(name: str, value: str):
    if name == "sdg":
        number = _positive_int(value)
        return number if number and number <= 17 else None
    if name == "year":
        number = _positive_int(value)
        return number if number and 1990 <= number <= 2100 else None
    if name == "country":
        return value.upper() if re.fullmatch(r"[A-Za-z]{2}", value) else None
    if name in ("swedish_partner", "partner"):
        return value.upper() if CODE.match(value.upper()) else None
    return value.lower() if SLUG.match(value.lower()) else None
