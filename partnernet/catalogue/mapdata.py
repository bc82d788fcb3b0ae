"""The map's data, aggregated per municipality: one GeoJSON point per municipality and one line
per distinct pair of partner municipalities, for the ids the catalogue matches.

Per data version a narrow table is taken from the catalogue's facet index (its id, municipality
and address columns) and one read of the municipalities' names and coordinates; every request
then counts with numpy over the catalogue's ids, so its cost grows with the number of matching
ids, not with rows read. The partner kept private is -1 in the index, blanked by the public
projection's own rule, so it is neither a point, nor a line end, nor counted.
"""

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np
from django.urls import reverse
from django.utils.translation import get_language

from partnernet.lib.singleflight import PerVersion
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.projection import CONJUNCTIONS

from .facets import facet_index, id_array

# Lines beyond this many are unreadable on one map and weigh megabytes (at 100 000 partnerships
# nearly every pair is distinct); the pairs with the most partnerships are drawn first and the
# collection says how many were left out, so the page can say "narrow the filters".
MAP_LINES = 1000
_latest: PerVersion["MapTable"] = PerVersion()


@dataclass(frozen=True)
class MapTable:
    """Public facts of every published partnership, per data version, as parallel arrays."""

    version: tuple
    ids: np.ndarray  # sorted primary keys
    swedish: np.ndarray  # index into `codes`
    partner: np.ndarray  # index into `codes`; -1 when the partner is kept private
    slugs: np.ndarray  # public addresses (strings)
    codes: tuple[str, ...]
    names: tuple[dict[str, str], ...]  # per language, as the public title names them
    lat: np.ndarray  # NaN where unknown
    lon: np.ndarray
    rank: np.ndarray  # each code's place in code order (for sorting pairs without Python)
    pair: np.ndarray  # per row, its placeable pair (index into pair_a/pair_b), -1: none
    pair_a: np.ndarray  # per pair, its Swedish municipality (index into `codes`)
    pair_b: np.ndarray  # per pair, its partner
    pieces: dict = field(default_factory=dict, compare=False)  # `_pieces`, per language


def map_table(version: tuple) -> MapTable:
    """The table of `version`, built once per process and data version (re-checked inside the
    lock, so concurrent misses build it once)."""
    return _latest.get(version, lambda previous: _build(version))


def _build(version: tuple) -> MapTable:
    """The map's columns are the facet index's (one owner of the public facts: the partner kept
    private is already -1 there, by the projection's rule), so after a write the table costs
    the index's patch and one read of the municipalities' names and coordinates."""
    columns = facet_index(version).columns
    codes = tuple(columns.municipalities)  # sorted: a code's position is its rank
    position = {code: i for i, code in enumerate(codes)}
    n = len(codes)
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    names: list[dict[str, str]] = [{} for _ in range(n)]
    fields = ("code", "name", "name_sv", "name_en", "name_uk", "latitude", "longitude")
    for code, name, sv, en, uk, latitude, longitude in Municipality.objects.filter(
        code__in=codes
    ).values_list(*fields):
        i = position[code]
        names[i] = {"sv": sv or name, "en": en or name, "uk": uk or name}
        if latitude is not None and longitude is not None:
            lat[i], lon[i] = latitude, longitude
    return table_of(version, columns, names, lat, lon)


def table_of(
    version: tuple, columns, names: list[dict[str, str]], lat: np.ndarray, lon: np.ndarray
) -> MapTable:
    """The table of the index columns `columns` (ids, swedish, partner, slugs, municipalities)
    with each municipality's names and coordinates (pure: tested on hand-made columns)."""
    codes = tuple(columns.municipalities)
    n = len(codes)
    rank = code_ranks(codes)
    # The pairs, numbered once per table in the order lines are drawn among equals (by the
    # codes of both ends), so a request counts them with one bincount.
    swedish, partner = columns.swedish, columns.partner
    placed = ~np.isnan(lat)
    both = (partner >= 0) & placed[swedish] & placed[np.maximum(partner, 0)]
    keys = rank[swedish[both]] * max(n, 1) + rank[partner[both]]
    unique, inverse = np.unique(keys, return_inverse=True)
    by_rank = np.argsort(rank, kind="stable")  # code rank → index into `codes`
    pair = np.full(len(swedish), -1, dtype=np.int64)
    pair[both] = inverse.reshape(-1)
    pair_a = by_rank[unique // max(n, 1)]
    pair_b = by_rank[unique % max(n, 1)]
    return MapTable(
        version=version,
        ids=columns.ids,
        swedish=columns.swedish,
        partner=columns.partner,
        slugs=columns.slugs,
        codes=codes,
        names=tuple(names),
        lat=lat,
        lon=lon,
        rank=rank,
        pair=pair,
        pair_a=pair_a,
        pair_b=pair_b,
    )


def code_ranks(codes: tuple[str, ...]) -> np.ndarray:
    """rank[i] = the place of codes[i] among the codes sorted as strings."""
    rank = np.empty(len(codes), dtype=np.int64)
    rank[sorted(range(len(codes)), key=codes.__getitem__)] = np.arange(len(codes))
    return rank


@dataclass(frozen=True)
class MapCounts:
    """Per municipality and per pair, the number of the matching partnerships."""

    points: list[tuple[int, int]]  # (municipality index, count), placeable ones, by code
    lines: list[tuple[int, int, int, int]]  # (a, b, count, position of one partnership)
    pairs: int  # distinct placeable pairs, drawn or not


def map_counts(table: MapTable, ids, limit: int = MAP_LINES) -> MapCounts:
    """Counts for the partnerships `ids` (ids not in the table are not published: ignored).
    Pure: no query; a few passes over the table's rows and pairs, no sort of all of them."""
    wanted = id_array(ids)
    selected = np.zeros(len(table.ids), dtype=bool)
    if len(table.ids) and len(wanted):
        where = np.searchsorted(table.ids, wanted).clip(0, len(table.ids) - 1)
        selected[where[table.ids[where] == wanted]] = True
    return map_counts_of_rows(table, selected, limit)


def map_counts_of_rows(table: MapTable, selected: np.ndarray, limit: int = MAP_LINES) -> MapCounts:
    """`map_counts` of the table's rows where `selected` (a row mask) is true: what the map
    asks, from the facet index's own mask (the table has the index's rows), without finding
    the rows of 100 000 ids again (15 ms)."""
    if len(selected) != len(table.ids):
        raise ValueError("a row mask of another table")
    where = np.flatnonzero(selected)  # rows, ascending: each once
    swedish, partner = table.swedish[where], table.partner[where]
    n = len(table.codes)
    counts = np.bincount(swedish, minlength=n) + np.bincount(partner[partner >= 0], minlength=n)
    placed = ~np.isnan(table.lat)
    shown = np.flatnonzero((counts > 0) & placed)
    shown = shown[np.argsort(table.rank[shown], kind="stable")]  # by code
    points = list(zip(shown.tolist(), counts[shown].tolist(), strict=True))
    pairs = table.pair[where]
    drawn = pairs >= 0
    pair_counts = np.bincount(pairs[drawn], minlength=len(table.pair_a))
    position = np.zeros(len(table.pair_a), dtype=np.int64)
    position[pairs[drawn]] = where[drawn]  # one partnership of each pair (the only one at 1)
    present = np.flatnonzero(pair_counts)
    # Most partnerships first, then by the pair's codes (pairs are numbered in that order):
    # the same lines for the same data, the top `limit` picked before sorting them.
    key = -pair_counts[present] * len(table.pair_a) + present
    if len(key) > limit:
        key = key[np.argpartition(key, limit - 1)[:limit]]
    key.sort()
    chosen = (key % len(table.pair_a)) if len(table.pair_a) else key
    lines = list(
        zip(
            table.pair_a[chosen].tolist(),
            table.pair_b[chosen].tolist(),
            pair_counts[chosen].tolist(),
            position[chosen].tolist(),
            strict=True,
        )
    )
    return MapCounts(points=points, lines=lines, pairs=len(present))


@dataclass(frozen=True)
class _Pieces:
    """JSON text of what a table's features repeat, in one language: each municipality's
    coordinates, code and name, and its point feature around the count."""

    place: list[str]
    code: list[str]
    name: list[str]  # the display name, as a Python string (titles are composed from it)
    point_head: list[str]
    point_tail: list[str]


def _pieces(table: MapTable, language: str) -> _Pieces:
    """Made once per table and language (the URLs carry the language prefix)."""
    key = (language, get_language() or "")
    made = table.pieces.get(key)
    if made is not None:
        return made
    municipality_url = reverse("municipalities:detail", kwargs={"code": "CODE"})
    place, code, name, head, tail = [], [], [], [], []
    for i, value in enumerate(table.codes):
        if np.isnan(table.lat[i]):
            place.append("null")
        else:
            place.append(_dumps([round(float(table.lon[i]), 4), round(float(table.lat[i]), 4)]))
        code.append(_dumps(value))
        name.append(table.names[i].get(language, "") or value)
        head.append(
            '{"type":"Feature","geometry":{"type":"Point","coordinates":'
            + place[i]
            + '},"properties":{"kind":"municipality","code":'
            + code[i]
            + ',"name":'
            + _dumps(name[i])
            + ',"count":'
        )
        tail.append(',"url":' + _dumps(municipality_url.replace("CODE", value)) + "}}")
    made = _Pieces(place, code, name, head, tail)
    table.pieces[key] = made
    return made


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def geojson(
    table: MapTable, counts: MapCounts, *, language: str, params, total: int, problems=()
) -> bytes:
    """GeoJSON (RFC 7946) of `counts`, as bytes: municipality points (code, name in `language`,
    count, link) and pair lines (count; the partnership's title and link when there is one,
    else the catalogue filtered by `params` and the pair). Foreign members say what was left
    out. Written from each municipality's JSON pieces (made once per table and language), so
    a request joins strings instead of encoding thousands of objects."""
    pieces = _pieces(table, language)
    catalogue_url = reverse("catalogue:partnerships")
    partnership_url = reverse("catalogue:partnership", kwargs={"slug": "SLUG"})
    kept = urlencode(
        [
            (key, value)
            for key in params
            if key not in ("page", "sort", "swedish_partner", "partner")
            for value in params.getlist(key)
        ]
    )
    conjunction = CONJUNCTIONS[language]
    features: list[str] = []
    for a, b, count, position in counts.lines:
        if count == 1:
            # The public title is the pair's names (`projection.public_titles`): a line only
            # joins a partner that is public.
            title = f"{pieces.name[a]} {conjunction} {pieces.name[b]}"
            url = partnership_url.replace("SLUG", str(table.slugs[position]))
        else:
            title = f"{pieces.name[a]} – {pieces.name[b]}"
            pair = urlencode([("swedish_partner", table.codes[a]), ("partner", table.codes[b])])
            url = catalogue_url + "?" + (kept + "&" + pair if kept else pair)
        features.append(
            '{"type":"Feature","geometry":{"type":"LineString","coordinates":['
            f'{pieces.place[a]},{pieces.place[b]}]}},"properties":{{"kind":"pair",'
            f'"a":{pieces.code[a]},"b":{pieces.code[b]},"count":{count},'
            f'"title":{_dumps(title)},"url":{_dumps(url)}}}}}'
        )
    for i, count in counts.points:
        features.append(f"{pieces.point_head[i]}{count}{pieces.point_tail[i]}")
    body = (
        f'{{"type":"FeatureCollection","partnerships":{int(total)},"pairs":{counts.pairs},'
        f'"pairs_shown":{len(counts.lines)},"problems":{_dumps(list(problems))},'
        f'"features":[{",".join(features)}]}}'
    )
    return body.encode()


def feature(kind: str, coordinates, properties: dict) -> dict:
    """One GeoJSON feature."""
    return {
        "type": "Feature",
        "geometry": {"type": kind, "coordinates": coordinates},
        "properties": properties,
    }
