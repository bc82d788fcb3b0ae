"""API on 10 000 generated partnerships: list throughput as a ratio to a minimal JSON view
serving the same page (same selector and two-step page read, same dicts, plain JsonResponse:
the cost of ninja, validation, ETag and rate limiting), and to a trivial JSON view; queries and
latency per list."""

import time

from django.http import JsonResponse
from django.test import Client, override_settings
from django.urls import path

from bench.data import ensure_generated_partnerships
from bench.util import count_queries, median, metric, timings_ms
from partnernet.accounts.permissions import public
from partnernet.api import present
from partnernet.api.endpoints import partnership_rows
from partnernet.catalogue.filters import CatalogueQuery
from partnernet.catalogue.selectors import catalogue_ids

LIST = "/api/v1/partnerships?page=3&page_size=50&lang=en"
FILTERED = "/api/v1/partnerships?sdg=16&area=education&page=2&page_size=50&lang=en"


@public
def same_page_json(request):
    """The same page without the framework: parse, select, count, build dicts, dump."""
    query = CatalogueQuery.from_params(request.GET)
    size = int(request.GET.get("page_size", 50))
    ids = catalogue_ids(query)
    start = (query.page - 1) * size
    count, items = len(ids), partnership_rows(ids)(start, start + size)
    results = [present.partnership(p, "en") for p in items]
    return JsonResponse({"count": count, "results": results})


@public
def trivial_json(request):
    return JsonResponse({"ok": True})


def _urls():
    from partnernet.urls import urlpatterns

    return [path("bench-same/", same_page_json), path("bench-trivial/", trivial_json), *urlpatterns]


urlpatterns = _urls()


def _throughput(client: Client, url: str, seconds: float = 3.0) -> float:
    client.get(url)
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        count += 1
    return count / (time.perf_counter() - started)


def run(ctx: dict) -> dict:
    ensure_generated_partnerships(n=10_000)
    client = Client()
    with override_settings(ROOT_URLCONF="bench.bench_api", API_RATE_LIMIT="100000000/min"):
        api = _throughput(client, LIST)
        same = _throughput(client, LIST.replace("/api/v1/partnerships", "/bench-same/"))
        trivial = _throughput(client, "/bench-trivial/")
        filtered = _throughput(client, FILTERED)
        same_filtered = _throughput(
            client, FILTERED.replace("/api/v1/partnerships", "/bench-same/")
        )
        latency = median(timings_ms(lambda: client.get(LIST), 30))
        queries = count_queries(lambda: client.get(LIST))
    return {
        "api_list_throughput_rps": metric(api, "req/s", lower_is_better=False),
        "api_list_vs_same_page_minimal_json_ratio": metric(
            api / same, "ratio", lower_is_better=False
        ),
        "api_filtered_vs_same_page_minimal_json_ratio": metric(
            filtered / same_filtered, "ratio", lower_is_better=False
        ),
        "api_list_vs_trivial_json_ratio": metric(api / trivial, "ratio", lower_is_better=False),
        "api_list_median_ms": metric(latency, "ms"),
        "api_list_queries": metric(queries, "queries"),
    }
