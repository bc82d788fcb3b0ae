"""Catalogue on 10 000 generated partnerships: queries per page, search p95, throughput as a
ratio to a minimal Django view (both through django.test.Client and the full middleware), and
bytes of HTML + CSS + JS of the catalogue page (map data excluded)."""

import time
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

from bench.data import ensure_generated_partnerships
from bench.util import count_queries, metric, percentile, timings_ms
from partnernet.accounts.permissions import public
from partnernet.catalogue.filters import CatalogueQuery
from partnernet.catalogue.pages import in_order
from partnernet.catalogue.selectors import catalogue_partnerships, catalogue_search

SEARCHES = [
    "vattenförsörjningen",
    "водопостачання",
    "Cherson",
    "освіти",
    "education",
    "kriser",
    "Kolomyia",
    "budget",
    "cykelvägar",
    "молоді",
    "energy",
    "Lviv",
    "skola demokrati",
    "waste recycling",
    "туризм",
    "Umeå",
]
PAGES = [
    "/en/partnerships/",
    "/en/partnerships/?area=education&sdg=16",
    "/en/partnerships/?q=water&country=UA",
    "/sv/partnerships/?page=40&sort=-start",
]
STATIC = ["css/site.css", "django_htmx/htmx-2.min.js", "catalogue/catalogue.js"]


@public
def minimal(request):
    return HttpResponse("ok")


def _urls():
    from partnernet.urls import urlpatterns

    return [path("bench-minimal/", minimal), *urlpatterns]


urlpatterns = _urls()


def _throughput(client: Client, url: str, seconds: float = 3.0) -> float:
    client.get(url)
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        client.get(url)
        count += 1
    return count / (time.perf_counter() - started)


def _first_page(q: str) -> list:
    """What the catalogue does for a search: rank, filter for publication, read one page."""
    query = CatalogueQuery(q=q)
    ids = catalogue_partnerships(query, ranked=catalogue_search(query)).values_list("id", flat=True)
    return in_order(ids[:20])


def run(ctx: dict) -> dict:
    total = ensure_generated_partnerships(n=10_000)
    client = Client()
    client.get(PAGES[0])  # builds the in-memory facet index once per data version
    queries = [count_queries(lambda u=u: client.get(u)) for u in PAGES]
    search = [(lambda q=q: _first_page(q)) for q in SEARCHES]
    times = [t for run_ in search for t in timings_ms(run_, 5)[1:]]
    cold = [timings_ms(run_, 1)[0] for run_ in search]
    with override_settings(ROOT_URLCONF="bench.bench_catalogue"):
        page = _throughput(client, "/en/partnerships/?area=education")
        bare = _throughput(client, "/bench-minimal/")
    html = len(client.get("/en/partnerships/?area=education").content)
    assets = sum(Path(finders.find(name)).stat().st_size for name in STATIC)
    return {
        "catalogue_generated_partnerships": metric(total, "partnerships", False),
        "catalogue_page_queries_max": metric(max(queries), "queries"),
        "catalogue_search_p95_ms": metric(percentile(times, 95), "ms"),
        "catalogue_search_first_p95_ms": metric(percentile(cold + times, 95), "ms"),
        "catalogue_throughput_ratio": metric(page / bare, "ratio", False),
        "catalogue_page_bytes_kb": metric((html + assets) / 1024, "KB"),
    }
