"""The catalogue, the map and the API at `BENCH_SIZE` generated partnerships (issue 16), in
process through django.test.Client and the full middleware, DEBUG=0, each request measured

- uncached: the page cache (`catalogue.pages.cached_page`, the Django cache) and every cached
  query embedding are cleared before each request, so the page is rendered and the query
  embedded anew; the per-data-version facet index and embedding matrix stay warm;
- cold: the first request after a write to one partnership (its phase changes, so the data
  version changes and the indexes refresh), for the figures in `COLD`;
- cached: the page cache holds the answer.

p50/p95 in ms and queries per request. Goals (issue 16): catalogue p95 ≤ 50 ms for every
listed request, text search ≤ 50 ms, map ≤ 100 ms, API list ≤ 30 ms, the first page after a
write ≤ 150 ms; queries per request the same at every size, and the uncached p95 at this size
less than 2 × the last run at a smaller size (`bench/results.json`, per size).

`BENCH_REPEAT` (10) requests per figure and mode; the 30 text queries run twice each.
"""

import math
import os
import sys
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.core.cache import cache
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import translation

from bench.data import ensure_generated_partnerships
from bench.util import count_queries, metric, percentile, timings_ms
from partnernet.catalogue import plan, search_index
from partnernet.lib import embeddings
from partnernet.partnerships.models import CooperationArea, Partnership

# 30 queries, ten per language, none a generated title: topics, places, misspellings, phrases.
SEARCHES = [
    ("sv", "vattenförsörjning"),
    ("sv", "avloppsrening på landsbygden"),
    ("sv", "återvinning av avfall"),
    ("sv", "elevinflytande i skolan"),
    ("sv", "krisberedskap"),
    ("sv", "cykelvägar och kollektivtrafik"),
    ("sv", "öppen budget"),
    ("sv", "kulturarv turism"),
    ("sv", "jämställdhet i planeringen"),
    ("sv", "energieffektiva byggnader"),
    ("uk", "водопостачання"),
    ("uk", "переробка відходів"),
    ("uk", "участь молоді"),
    ("uk", "цивільний захист"),
    ("uk", "прозорий бюджет громади"),
    ("uk", "велодоріжки"),
    ("uk", "культурна спадщина"),
    ("uk", "соціальні послуги"),
    ("uk", "енергоефективність шкіл"),
    ("uk", "демократична школа"),
    ("en", "water supply"),
    ("en", "sewage treatment plant"),
    ("en", "recycling"),
    ("en", "youth participation"),
    ("en", "civil defence preparedness"),
    ("en", "digital dialogue with residents"),
    ("en", "gender equal planning"),
    ("en", "public transport"),
    ("en", "heritage tourism"),
    ("en", "inclusive social services"),
]
GOALS_MS = {"catalogue": 50.0, "search": 50.0, "map": 100.0, "api": 30.0}
COLD_GOAL_MS = 150.0
RATIO_GOAL = 2.0
PAGE_SIZE = 20
# The first request after a write is measured for these (each write rebuilds every index of
# the process, so one per figure keeps a run at 100 000 within minutes); BENCH_COLD_REPEAT (1).
COLD = ("catalogue_all", "catalogue_one_facet", "catalogue_text_30", "map_page", "api_list")
# What the map page loads besides itself (a GeoJSON endpoint, when the URLconf has one).
MAP_DATA_NAMES = ("map_data", "map-data", "map_geojson", "map-geojson", "map_json", "geojson")


def _repeat() -> int:
    return int(os.environ.get("BENCH_REPEAT") or 10)


def clear_query_embeddings() -> None:
    """Every process-wide cache of query embeddings (and query plans), so a query is embedded
    anew; the facet index and the embedding matrix are data, not such a cache, and stay."""
    for module in (embeddings, plan, search_index):
        for name, value in vars(module).items():
            if callable(getattr(value, "cache_clear", None)) and (
                "embed" in name or "query" in name or "plan" in name
            ):
                value.cache_clear()


def uncached() -> None:
    cache.clear()
    clear_query_embeddings()


def _url(name: str, lang: str, params: dict | None = None) -> str:
    with translation.override(lang):
        path = reverse(name)
    return path + ("?" + urlencode(params, doseq=True) if params else "")


def map_data_urls(lang: str) -> list[str]:
    """The map's data endpoints that exist in the URLconf today (none is fine)."""
    names = {f"catalogue:{n}" for n in MAP_DATA_NAMES}
    catalogue = get_resolver().namespace_dict.get("catalogue")
    if catalogue:
        names |= {
            f"catalogue:{n}"
            for n in catalogue[1].reverse_dict
            if isinstance(n, str) and "map" in n and n != "map"
        }
    found = []
    for name in sorted(names):
        try:
            found.append(_url(name, lang))
        except NoReverseMatch:
            continue
    return found


def requests(size: int) -> dict[str, tuple[str, list[str]]]:
    """Figure name → (kind, the URLs it measures)."""
    published = Partnership.objects.filter(publication="published").count()
    deep = max(1, min(400, math.ceil(published / PAGE_SIZE)))
    area = CooperationArea.objects.order_by("slug").values_list("slug", flat=True).first()
    one = {"area": area}
    three = {"area": area, "sdg": "16", "phase": Partnership.Phase.values[0]}
    sample = (
        Partnership.objects.filter(slug__startswith="gen-", publication="published")
        .select_related("swedish_partner", "partner")
        .order_by("pk")
    )
    picks = [sample[i * 37] for i in range(3)] if sample.count() > 111 else list(sample[:3])
    names = [
        ("sv", picks[0].swedish_partner.name_sv),
        ("uk", picks[1].partner.name_uk),
        ("en", picks[2].partner.name_en),
    ]
    listing = "catalogue:partnerships"
    api = "/api/v1/partnerships"
    out: dict[str, tuple[str, list[str]]] = {
        "catalogue_all": ("catalogue", [_url(listing, "en")]),
        "catalogue_one_facet": ("catalogue", [_url(listing, "en", one)]),
        "catalogue_three_facets": ("catalogue", [_url(listing, "sv", three)]),
        "catalogue_text_30": ("search", [_url(listing, lang, {"q": q}) for lang, q in SEARCHES]),
        "catalogue_partner_name": (
            "search",
            [_url(listing, lang, {"q": name}) for lang, name in names],
        ),
        "catalogue_deep_page": ("catalogue", [_url(listing, "uk", {"page": deep})]),
        "map_page": ("map", [_url("catalogue:map", "en")]),
        "api_list": ("api", [f"{api}?lang=en"]),
        "api_one_facet": ("api", [f"{api}?" + urlencode({**one, "lang": "en"})]),
        "api_three_facets": ("api", [f"{api}?" + urlencode({**three, "lang": "sv"})]),
        "api_text": (
            "api",
            [f"{api}?" + urlencode({"q": q, "lang": lang}) for lang, q in SEARCHES[::3]],
        ),
        "api_deep_page": (
            "api",
            [f"{api}?" + urlencode({"page": deep, "page_size": PAGE_SIZE, "lang": "en"})],
        ),
    }
    data = map_data_urls("en")
    if data:
        out["map_data"] = ("map", data)
    return out


class Failures:
    """Answers other than 200, counted (a figure of their own, goal 0) and shown."""

    def __init__(self) -> None:
        self.count = 0

    def get(self, client: Client, url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            self.count += 1
            if self.count <= 5:
                print(f"  bench_scale: {url} answered {response.status_code}")


def _timed(function: Callable[[], object]) -> float:
    return timings_ms(function, 1)[0]


def write_one(partnership: Partnership, turn: int) -> None:
    """A write to one partnership, through the model as an edit would: its phase changes."""
    phases = Partnership.Phase.values
    partnership.phase = phases[turn % len(phases)]
    partnership.save()


def run(ctx: dict) -> dict:
    size = ctx.get("size", 10_000)
    total = ensure_generated_partnerships(n=size)
    client, failures, repeat = Client(), Failures(), _repeat()
    cold_repeat = int(os.environ.get("BENCH_COLD_REPEAT") or 1)
    specs = requests(size)
    for _kind, urls in specs.values():  # the facet index and matrix of this data version
        failures.get(client, urls[0])
    target = Partnership.objects.filter(slug__startswith="gen-", publication="published").first()
    assert target is not None
    results = {
        "scale_generated_partnerships": metric(total, "partnerships", False),
        "scale_embedding_model": metric(embeddings._model() is not None, "yes=1", False),
    }
    turn, began = 0, time.perf_counter()
    for name, (kind, urls) in specs.items():
        print(f"  bench_scale: {name} ({time.perf_counter() - began:.0f} s)", file=sys.stderr)
        goal = GOALS_MS[kind]
        rounds = 2 if len(urls) > 10 else max(1, repeat // len(urls))

        def fresh(url: str) -> None:
            uncached()
            failures.get(client, url)

        times = [_timed(lambda u=url: fresh(u)) for _ in range(rounds) for url in urls]
        queries = max(count_queries(lambda u=url: fresh(u)) for url in urls)
        cold = []
        for url in (urls * cold_repeat)[:cold_repeat] if name in COLD else []:
            turn += 1
            write_one(target, turn)
            cold.append(_timed(lambda u=url: failures.get(client, u)))
        warm = []
        for url in urls:
            failures.get(client, url)
            warm += [_timed(lambda u=url: failures.get(client, u)) for _ in range(rounds)]
        prefix = f"scale_{name}"
        results |= {
            f"{prefix}_uncached_p50_ms": metric(percentile(times, 50), "ms"),
            f"{prefix}_uncached_p95_ms": metric(percentile(times, 95), "ms", goal=goal),
            f"{prefix}_cached_p50_ms": metric(percentile(warm, 50), "ms"),
            f"{prefix}_cached_p95_ms": metric(percentile(warm, 95), "ms", goal=goal),
            f"{prefix}_queries": metric(queries, "queries"),
        }
        if cold:
            results[f"{prefix}_cold_max_ms"] = metric(max(cold), "ms", goal=COLD_GOAL_MS)
    results["scale_errors"] = metric(failures.count, "responses", goal=0)
    results |= compare_sizes(results, size, ctx.get("previous", {}))
    return results


def compare_sizes(results: dict, size: int, previous: dict[str, dict]) -> dict:
    """Against the last run at another size: the same queries per request (goal: equal), and
    from a smaller size, the cost ratio of each uncached p95 (goal < 2)."""
    out: dict[str, dict] = {}
    others = sorted(int(s) for s in previous if s.isdigit() and int(s) != size)
    if not others:
        return out
    smaller = [s for s in others if s < size]
    other = smaller[-1] if smaller else others[0]
    before = previous[str(other)]
    for name, row in results.items():
        if not name.startswith("scale_") or name not in before:
            continue
        if name.endswith("_queries"):
            out[name] = metric(row["value"], "queries", goal=before[name]["value"], exact=True)
        elif name.endswith("_uncached_p95_ms") and smaller and before[name]["value"] > 0:
            ratio = row["value"] / before[name]["value"]
            out[f"{name[: -len('_ms')]}_ratio_{size}_to_{other}"] = metric(
                ratio, "ratio", goal=RATIO_GOAL
            )
    return out
