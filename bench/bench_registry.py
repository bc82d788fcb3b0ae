"""Foundation: registry import time, municipality search latency, queries per page."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import Client

from bench.util import count_queries, median, metric, timings_ms
from partnernet.municipalities.selectors import municipality_search

QUERIES = [
    "Херсон",
    "Kherson",
    "Cherson",
    "vaxjo",
    "lidingo",
    "Коломия",
    "Falun",
    "umea",
    "Kyiv",
    "ska",
    "ivano",
    "2080",
    "Тернопіль",
    "nova",
    "berez",
    "Odessa",
]
IMPORT_SCRIPT = """
import time, django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from partnernet.municipalities.services import municipalities_import_reference_data
t = time.perf_counter(); municipalities_import_reference_data(); print(time.perf_counter() - t)
"""


def import_seconds_on_sqlite() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'import.sqlite3'}",
            DJANGO_SETTINGS_MODULE="partnernet.settings",
        )
        out = subprocess.run(
            [sys.executable, "-c", IMPORT_SCRIPT],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return float(out.strip().splitlines()[-1])


def run(ctx: dict) -> dict:
    search = lambda: [list(municipality_search(query=q)) for q in QUERIES]  # noqa: E731
    search()
    per_query = [t / len(QUERIES) for t in timings_ms(search, 20)]
    client = Client()
    client.get("/en/")
    return {
        "registry_import_sqlite_s": metric(import_seconds_on_sqlite(), "s"),
        "municipality_search_median_ms": metric(median(per_query), "ms"),
        "home_page_queries": metric(count_queries(lambda: client.get("/en/")), "queries"),
        "municipality_search_page_queries": metric(
            count_queries(lambda: client.get("/en/municipalities/", {"q": "ska"})), "queries"
        ),
    }
