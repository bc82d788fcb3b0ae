"""Facet counts for the catalogue, each reflecting every other active filter.

The published partnerships' facet values are read once per data version (a handful of queries,
kept in memory) and counted with set intersections, so a catalogue page spends one query on
facets whatever the number of partnerships.
"""

import threading
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partnernet.municipalities.models import Country, Municipality
from partnernet.partnerships.models import CooperationArea, Goal, Network, Partnership, Tag
from partnernet.partnerships.selectors import partnership_public_list

from .filters import MULTI, CatalogueQuery
from .models import DataVersion

MUNICIPALITY_OPTIONS = 25
COUNTRY_NAMES = {"SE": _("Sweden"), "UA": _("Ukraine")}
_lock = threading.Lock()
_cache: dict[str, "FacetIndex"] = {}


@dataclass(frozen=True)
class FacetOption:
    value: str | int
    label: str
    count: int
    selected: bool
    colour: str = ""


@dataclass
class FacetIndex:
    version: tuple
    ids: frozenset[int] = frozenset()
    sets: dict[str, dict] = field(default_factory=dict)
    labels: dict[str, dict] = field(default_factory=dict)
    colours: dict[int, str] = field(default_factory=dict)


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
    public = partnership_public_list().prefetch_related(None).order_by()
    rows = public.values_list(
        "id",
        "partner__country_id",
        "swedish_partner__code",
        "partner__code",
        "area__slug",
        "network__slug",
        "phase",
        "status",
        "start_date",
    )
    index = FacetIndex(version=version, sets={name: {} for name in MULTI})
    ids = []
    for pk, country, swedish, partner, area, network, phase, status, start in rows:
        ids.append(pk)
        values = {
            "country": country,
            "swedish_partner": swedish,
            "partner": partner,
            "area": area,
            "network": network,
            "phase": phase,
            "status": status,
            "year": start.year if start else None,
        }
        for name, value in values.items():
            if value is not None:
                index.sets[name].setdefault(value, set()).add(pk)
    index.ids = frozenset(ids)
    public_ids = public.values("id")
    for name, through, column in (
        ("sdg", Partnership.goals.through, "goal_id"),
        ("tag", Partnership.tags.through, "tag__slug"),
    ):
        pairs = through.objects.filter(partnership_id__in=public_ids).values_list(
            "partnership_id", column
        )
        for pk, value in pairs:
            index.sets[name].setdefault(value, set()).add(pk)
    _labels(index)
    return index


def _names(model, key: str, field_name: str, **filters) -> dict:
    columns = [f"{field_name}_{lang}" for lang in ("sv", "en", "uk")]
    return {
        row[0]: dict(zip(("sv", "en", "uk"), row[1:], strict=True))
        for row in model.objects.filter(**filters).values_list(key, *columns)
    }


def _labels(index: FacetIndex) -> None:
    codes = set(index.sets["swedish_partner"]) | set(index.sets["partner"])
    municipalities = _names(Municipality, "code", "name", code__in=codes)
    countries = {
        code: {"sv": name, "en": name, "uk": name}
        for code, name in Country.objects.values_list("code", "name")
    }
    index.labels = {
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
    index.colours = dict(Goal.objects.values_list("number", "colour"))


def _label(index: FacetIndex, name: str, value) -> str:
    if name == "year":
        return str(value)
    if name == "country" and value in COUNTRY_NAMES:
        return str(COUNTRY_NAMES[value])
    if name in ("phase", "status"):
        return str(dict(getattr(Partnership, name.title()).choices).get(value, value))
    names = index.labels.get(name, {}).get(value, {})
    language = get_language() or "sv"
    label = names.get(language) or names.get("sv") or names.get("en") or str(value)
    return f"{value}. {label}" if name == "sdg" else label


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
