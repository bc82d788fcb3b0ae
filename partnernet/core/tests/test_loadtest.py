"""The load drill's scenario stays in step with the routes (no server needed): every request it
makes resolves, in every language, to the view it means, and the locustfile imports. A renamed
route breaks this test, not `make loadtest`."""

import re
import subprocess
import sys
from pathlib import Path

from django.urls import Resolver404, resolve
from django.utils import translation

from bench.loadtest.__main__ import percentile, summarise
from bench.loadtest.scenario import KINDS, LANGUAGES, ROUTES, Route

LOCUSTFILE = Path(__file__).resolve().parents[3] / "bench" / "loadtest" / "locustfile.py"
SAMPLE = {"slug": "falun-kolomyia", "pk": 1, "network": "democratic-resilience", "q": "water"}


def unresolved(routes) -> list[str]:
    problems = []
    for route in routes:
        for lang in LANGUAGES:
            path = route.path(lang=lang, **SAMPLE).split("?", 1)[0]
            with translation.override(lang):
                try:
                    found = resolve(path).view_name
                except Resolver404:
                    problems.append(f"{route.label}: {path} resolves to nothing")
                    continue
            if found != route.view:
                problems.append(f"{route.label}: {path} is {found}, not {route.view}")
    return problems


def test_a_route_that_moved_or_was_renamed_is_reported():
    moved = Route("old", "public read", "GET", "/{lang}/catalogue/{slug}/", "catalogue:partnership")
    renamed = Route("other", "public read", "GET", "/{lang}/map/", "catalogue:atlas")
    assert unresolved([moved, renamed]) == [
        f"old: /{lang}/catalogue/falun-kolomyia/ resolves to nothing" for lang in LANGUAGES
    ] + [f"other: /{lang}/map/ is catalogue:map, not catalogue:atlas" for lang in LANGUAGES]


def test_every_request_of_the_scenario_reaches_its_view():
    assert unresolved(ROUTES.values()) == []
    assert {route.kind for route in ROUTES.values()} <= set(KINDS)
    assert {"public read", "autosave", "officer"} <= {route.kind for route in ROUTES.values()}


def test_the_locustfile_asks_only_for_requests_the_scenario_names():
    used = set(re.findall(r'(?:call|_sections|_autosave)\(\s*"([^"]+)"', LOCUSTFILE.read_text()))
    assert "application autosave" in used and "queue reorder" in used
    assert used - set(ROUTES) == set()


def test_the_locustfile_imports_with_its_three_kinds_of_people():
    # In a process of its own: importing locust patches the standard library (gevent).
    script = (
        "import bench.loadtest.locustfile as f; "
        "print(sorted((c.__name__, c.weight) for c in (f.PublicReader, f.Coordinator, f.Officer)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=LOCUSTFILE.parents[2],
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[('Coordinator', 3), ('Officer', 1), ('PublicReader', 6)]"


def test_the_figures_count_every_error_and_take_nearest_rank_percentiles():
    raw = [
        {"kind": "autosave", "label": "report autosave", "ms": float(ms), "error": ""}
        for ms in range(1, 101)
    ] + [{"kind": "officer", "label": "queue", "ms": 7.0, "error": "queue /en/queue/x/: 500"}]
    figures = summarise(raw, seconds=10.0)
    assert figures["errors"] == 1 and figures["first_errors"] == ["queue: queue /en/queue/x/: 500"]
    assert figures["kinds"]["autosave"] == {
        "requests": 100,
        "errors": 0,
        "rps": 10.0,
        "p50_ms": 50.0,
        "p95_ms": 95.0,
        "p99_ms": 99.0,
    }
    assert figures["rps"] == 10.1
    assert percentile([], 95) == 0.0
