"""Facet counts for the catalogue, each reflecting every other active filter.

The published partnerships' facet values are read once per data version (a handful of queries,
kept in memory) and counted with set intersections, so a catalogue page spends one query on
facets whatever the number of partnerships.
"""

import threading
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db import connection
from django.utils.translation import get_language

from partnernet.municipalities.countries import COUNTRIES
from partnernet.municipalities.models import Country, Municipality, Region
from partnernet.partnerships.models import CooperationArea, Goal, Network, Partnership, Tag
from partnernet.partnerships.selectors import partnership_public_list, partnerships_public

from .filters import MULTI, CatalogueQuery
from .models import DataVersion

MUNICIPALITY_OPTIONS = 25
EXTRA = ("region",)  # counted for the home page's charts, not offered as a filter
_lock = threading.Lock()
_cache: dict[str, "FacetIndex"] = {}


@dataclass(frozen=True)
class FacetOption:
    value: str | int
    label: str
    count: int
    selected: bool
    colour: str = ""


@dataclass(frozen=True)
class SortKeys:
    titles: dict[str, str]
    start: date | None
    swedish: dict[str, str]  # names per language, like the titles
    partner: dict[str, str] | None
    slug: str


@dataclass
class FacetIndex:
    """The public facts of every published partnership, per data version: facet value → ids,
    sort keys per id, labels. Filters, counts, sorting, charts and per-municipality lists all
    read it, so they agree with each other and with the public projection."""

    version: tuple
    ids: frozenset[int] = frozenset()
    sets: dict[str, dict] = field(default_factory=dict)
    sort_keys: dict[int, SortKeys] = field(default_factory=dict)

    # Labels are read only by pages that show facets or charts (the API and the open data
    # never need them), on first use; computing them twice in a race is harmless.
    @cached_property
    def labels(self) -> dict[str, dict]:
        return _labels(self)

    @cached_property
    def colours(self) -> dict[int, str]:
        return dict(Goal.objects.values_list("number", "colour"))


def data_version() -> tuple:
    """Changes with any write to what the catalogue shows, bulk updates and raw SQL included:
    database triggers set `DataVersion.version` to a new random value (migration 0003), so
    this is one primary-key read per request."""
    table = DataVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE id = 1")  # noqa: S608  (model table name)
        row = cursor.fetchone()
    return (connection.alias, connection.settings_dict["NAME"], row[0] if row else None)


def facet_index(version: tuple | None = None) -> FacetIndex:
    version = version or data_version()
    cached = _cache.get("index")
    if cached and cached.version == version:
        return cached
    with _lock:
        index = _build(version)
        _cache["index"] = index
    return index


def _build(version: tuple) -> FacetIndex:
    """Facet values, sort keys and chart counts of every published partnership, read from its
    public projection only: a private value is neither counted, nor filterable, nor sortable."""
    index = FacetIndex(version=version, sets={name: {} for name in (*MULTI, *EXTRA)})
    ids = []
    for p in partnerships_public(partnership_public_list().order_by()):
        ids.append(p.pk)
        partner = p.partner
        values = {
            "country": p.partner_country.code,
            "swedish_partner": p.swedish_partner.code,
            "partner": partner.code if partner else None,
            "area": p.area.slug,
            "network": p.network.slug,
            "phase": p.phase,
            "status": p.status,
            "year": p.start_date.year if p.start_date else None,
            "region": p.swedish_partner.region_id,
        }
        for name, value in values.items():
            if value is not None:
                index.sets[name].setdefault(value, set()).add(p.pk)
        if partner and partner.region_id:
            index.sets["region"].setdefault(partner.region_id, set()).add(p.pk)
        for goal in p.goals.all():
            index.sets["sdg"].setdefault(goal.number, set()).add(p.pk)
        for tag in p.tags.all():
            index.sets["tag"].setdefault(tag.slug, set()).add(p.pk)
        index.sort_keys[p.pk] = SortKeys(
            titles={lang: _fold(getattr(p, f"title_{lang}")) for lang in ("sv", "en", "uk")},
            start=p.start_date,
            swedish=_folded_names(p.swedish_partner),
            partner=_folded_names(partner) if partner else None,
            slug=p.slug,
        )
    index.ids = frozenset(ids)
    return index


def _fold(text: str) -> str:
    return (text or "").casefold()


def _folded_names(municipality) -> dict[str, str]:
    # Per language: the index is shared by readers of every language.
    return {lang: _fold(getattr(municipality, f"name_{lang}")) for lang in ("sv", "en", "uk")}


def _names(model, key: str, field_name: str, **filters) -> dict:
    columns = [f"{field_name}_{lang}" for lang in ("sv", "en", "uk")]
    return {
        row[0]: dict(zip(("sv", "en", "uk"), row[1:], strict=True))
        for row in model.objects.filter(**filters).values_list(key, *columns)
    }


def _labels(index: FacetIndex) -> dict[str, dict]:
    codes = set(index.sets["swedish_partner"]) | set(index.sets["partner"])
    municipalities = _names(Municipality, "code", "name", code__in=codes)
    countries = {
        code: {"sv": name, "en": name, "uk": name}
        for code, name in Country.objects.values_list("code", "name")
    }
    labels = {
        "country": countries,
        "swedish_partner": municipalities,
        "partner": municipalities,
        "area": _names(CooperationArea, "slug", "name"),
        "network": _names(Network, "slug", "name"),
        "sdg": _names(Goal, "number", "short_name"),
        "tag": _names(Tag, "slug", "name"),
        "phase": {v: {"": str(label)} for v, label in Partnership.Phase.choices},
        "status": {v: {"": str(label)} for v, label in Partnership.Status.choices},
    }
    labels["region"] = _names(Region, "pk", "name", pk__in=set(index.sets["region"]))
    return labels


def _label(index: FacetIndex, name: str, value) -> str:
    if name == "year":
        return str(value)
    if name == "country" and value in COUNTRIES:
        return COUNTRIES[value].names.get(get_language() or "sv") or COUNTRIES[value].names["sv"]
    if name in ("phase", "status"):
        return str(dict(getattr(Partnership, name.title()).choices).get(value, value))
    names = index.labels.get(name, {}).get(value, {})
    language = get_language() or "sv"
    label = names.get(language) or names.get("sv") or names.get("en") or str(value)
    return f"{value}. {label}" if name == "sdg" else label


def label_of(index: FacetIndex, name: str, value) -> str:
    """The label of one facet value in the reader's language."""
    return _label(index, name, value)


def matching_ids(index: FacetIndex, query: CatalogueQuery) -> set[int]:
    """Ids of the published partnerships matching every active filter, read from the public
    index: values within one facet are alternatives (OR), different facets combine (AND)."""
    ids = set(index.ids)
    for name, values in query.active_filters().items():
        ids &= _union(index, name, values)
    return ids


def sorted_ids(index: FacetIndex, ids, sort: str, language: str) -> list[int]:
    """`ids` in a stable order of public sort keys; a private value sorts last, as if unknown."""
    keys = index.sort_keys

    def title(pk: int) -> tuple:
        k = keys[pk]
        return (k.titles.get(language) or k.titles["sv"], k.slug)

    def name(names: dict[str, str] | None) -> str:
        return (names.get(language) or names.get("sv") or "") if names else ""

    if sort == "swedish_partner":
        return sorted(ids, key=lambda pk: (name(keys[pk].swedish), *title(pk)))
    if sort == "partner":
        return sorted(
            ids, key=lambda pk: (keys[pk].partner is None, name(keys[pk].partner), *title(pk))
        )
    if sort in ("start", "-start"):
        starts = {pk: start for pk in ids if (start := keys[pk].start) is not None}
        dated = sorted(starts, key=lambda pk: (starts[pk], keys[pk].slug))
        if sort == "-start":
            dated = sorted(dated, key=lambda pk: starts[pk], reverse=True)
        return dated + sorted((pk for pk in ids if not keys[pk].start), key=title)
    return sorted(ids, key=title)


def _union(index: FacetIndex, name: str, values) -> set[int]:
    result: set[int] = set()
    for value in values:
        result |= index.sets[name].get(value, set())
    return result


def catalogue_facets(
    query: CatalogueQuery, *, matching: set[int] | None = None, version: tuple | None = None
) -> dict[str, list[FacetOption]]:
    """Options and counts of every facet: the count of an option is the number of results the
    page would show if it were chosen in addition to the other facets' active filters.

    `matching` restricts to the ids found by the text query (`None`: no text query)."""
    index = facet_index(version)
    base = set(index.ids) if matching is None else set(index.ids) & matching
    active = query.active_filters()
    chosen = {name: _union(index, name, values) for name, values in active.items()}
    facets = {}
    for name in MULTI:
        allowed = base.copy()
        for other, ids in chosen.items():
            if other != name:
                allowed &= ids
        facets[name] = _options(index, name, allowed, set(active.get(name, ())))
    return facets


def _options(index: FacetIndex, name: str, allowed: set[int], selected: set) -> list[FacetOption]:
    options = []
    for value, ids in index.sets[name].items():
        count = len(ids & allowed)
        if count or value in selected:
            options.append(
                FacetOption(
                    value,
                    _label(index, name, value),
                    count,
                    value in selected,
                    index.colours.get(value, "") if name == "sdg" else "",
                )
            )
    if name in ("sdg", "year", "phase", "status"):
        options.sort(key=lambda o: o.value)
    else:
        options.sort(key=lambda o: (-o.count, o.label))
    if name in ("swedish_partner", "partner") and len(options) > MUNICIPALITY_OPTIONS:
        keep = options[:MUNICIPALITY_OPTIONS]
        options = keep + [o for o in options[MUNICIPALITY_OPTIONS:] if o.selected]
    return options
