"""`make loadtest` (`python -m bench.loadtest`): the load drill of issue 15.

1. The load-test database (`partnernet_loadtest` on the PostgreSQL server of `DATABASE_URL`, or
   127.0.0.1:5432; `LOADTEST_DATABASE_URL` names another) is created, migrated and seeded: the
   demo, `LOADTEST_PARTNERSHIPS` generated partnerships (1 000), and the drill's own people and
   rows (`bench.loadtest.data`).
2. A production-configured server starts on the loopback address: gunicorn with one worker per
   core, DEBUG off, the cache in Redis (`LOADTEST_CACHE_URL`, else db 2 of the machine's Redis on
   127.0.0.1:6379, else a private redis-server), behind a (simulated) TLS proxy on 127.0.0.1.
3. Locust runs headless in a process of its own (on the same cores: its own CPU time competes
   with the server's, which the figures include) with `LOADTEST_USERS` users (50) for
   `LOADTEST_SECONDS` (60).
4. Requests per second, p50/p95/p99 per kind and per request, and errors go to
   bench/results.json under "loadtest" (other keys are kept), with the goals beside them.

Exits 1 when any request failed.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from bench.__main__ import create_postgres_database
from bench.loadtest.scenario import (
    GOALS_P95_MS,
    KINDS,
    LANGUAGES,
    PUBLIC,
    ROUTES,
    SEARCHES,
    SIGN_IN,
    THINK_SECONDS,
    WEIGHTS,
)
from partnernet.lib.testing_services import Gunicorn, RedisServer, running, server_environment

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
RESULTS = PROJECT / "bench" / "results.json"
VAR = PROJECT / "var" / "loadtest"


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def database_url() -> str:
    if os.environ.get("LOADTEST_DATABASE_URL"):
        return os.environ["LOADTEST_DATABASE_URL"]
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        server = "postgres://postgres@127.0.0.1:5432/postgres"
    return server.rsplit("/", 1)[0] + "/partnernet_loadtest"


def _reachable(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def server_cpu(server: Gunicorn) -> float:
    """CPU seconds used so far by gunicorn's master and workers (Linux /proc)."""
    if server.process is None:
        return 0.0
    found = subprocess.run(
        ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True, check=False
    )
    total = 0.0
    for pid in [server.process.pid, *map(int, found.stdout.split())]:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def summarise(raw: list[dict], seconds: float) -> dict:
    """Per kind and per request label: count, errors, p50/p95/p99 in ms; totals and rps."""

    def figures(rows: list[dict]) -> dict:
        times = [row["ms"] for row in rows]
        return {
            "requests": len(rows),
            "errors": sum(1 for row in rows if row["error"]),
            "rps": round(len(rows) / seconds, 2) if seconds else 0.0,
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "p99_ms": round(percentile(times, 99), 1),
        }

    kinds = {kind: figures([r for r in raw if r["kind"] == kind]) for kind in KINDS}
    labels = sorted({(r["kind"], r["label"]) for r in raw})
    by_label = {
        f"{kind}: {label}": figures([r for r in raw if r["label"] == label and r["kind"] == kind])
        for kind, label in labels
    }
    errors = [f"{r['label']}: {r['error']}" for r in raw if r["error"]]
    return {
        "requests": len(raw),
        "errors": len(errors),
        "rps": round(len(raw) / seconds, 2) if seconds else 0.0,
        "kinds": {kind: row for kind, row in kinds.items() if row["requests"]},
        "requests_by_label": by_label,
        "first_errors": errors[:20],
    }


def prepare(url: str, users: int) -> dict:
    """Create, migrate and seed the load-test database; the scenario's fixtures."""
    create_postgres_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.data import ensure_generated_partnerships
    from bench.loadtest.data import NETWORK, loadtest_prepare
    from partnernet.partnerships.models import Network

    call_command("migrate", verbosity=0)
    if not Network.objects.filter(slug=NETWORK).exists():  # seeded once: setup_demo is slow
        call_command("setup_demo", verbosity=0)
    ensure_generated_partnerships(n=_int("LOADTEST_PARTNERSHIPS", 1000))
    total = sum(WEIGHTS.values())
    # locust gives each kind its share of the users, rounded: one spare account per kind.
    return loadtest_prepare(
        coordinators=math.ceil(users * WEIGHTS["Coordinator"] / total) + 1,
        officers=math.ceil(users * WEIGHTS["Officer"] / total) + 1,
    )


def warm(base: str, fixtures: dict, rounds: int) -> None:
    """Each public page in each language a few times before the clock starts, as a server that
    has been up a while would have it: every worker's in-process indexes built, the cache full."""
    slug = (fixtures["partnerships"] or [""])[0]
    for _round in range(rounds):
        for route in ROUTES.values():
            if route.kind != PUBLIC:
                continue
            for lang in LANGUAGES:
                path = route.path(lang=lang, slug=slug, q=quote(SEARCHES[lang][0]))
                request = urllib.request.Request(
                    base + path, headers={"X-Forwarded-Proto": "https"}
                )
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(request, timeout=60).read()  # noqa: S310 (loopback)


def server_costs(fixtures: dict, repeat: int = 5) -> dict:
    """Where the time goes, apart from the machine's load: per request of the scenario, the
    queries and the median CPU time of this process serving it (Django's test client on the
    load-test database, the page cache in memory), the database's own time not included."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from partnernet.accounts.models import User
    from partnernet.accounts.testing import sign_in
    from partnernet.grants.forms import sections_initial
    from partnernet.grants.models import Application
    from partnernet.reports.models import Report

    writer, officer = fixtures["coordinators"][0], fixtures["officers"][0]
    coordinator = sign_in(Client(), User.objects.get(email=writer["email"]))
    staff = sign_in(Client(), User.objects.get(email=officer["email"]))
    values = {
        "lang": "en",
        "slug": fixtures["partnerships"][0],
        "q": SEARCHES["en"][0],
        "network": fixtures["network"],
    }

    def draft(sections) -> dict:
        initial = sections_initial(sections)
        key = sections[0].key
        text = f"Measured at {time.time()}"
        return {f"{key}_en": text} | {
            name: initial[name] for name in (f"{key}_version", f"{key}_base")
        }

    samples = [(label, Client(), values) for label, r in ROUTES.items() if r.kind == PUBLIC]
    app_values = values | {"pk": writer["application"]}
    report_values = values | {"slug": writer["partnership"], "pk": writer["report"]}
    samples += [
        ("application page", coordinator, app_values),
        ("report page", coordinator, report_values),
        ("application autosave", coordinator, app_values),
        ("report autosave", coordinator, report_values),
        ("queue", staff, values),
        ("queue entry", staff, values | {"pk": (fixtures["queue_entries"] or [0])[0]}),
    ]
    costs = {}
    for label, client, given in samples:
        route = ROUTES[label]
        path = route.path(**given)
        cpu, wall, queries, status = [], [], 0, 0
        for _round in range(repeat + 1):
            data = None
            if label == "application autosave":
                data = draft(list(Application.objects.get(pk=given["pk"]).sections.all()))
            elif label == "report autosave":
                data = draft(list(Report.objects.get(pk=given["pk"]).sections.all()))
            started, ticked = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as captured:
                if data is None:
                    response = client.get(path)
                else:
                    response = client.post(path, data, HTTP_X_REQUESTED_WITH="fetch")
            if _round:  # the first warms the caches
                cpu.append((time.process_time() - ticked) * 1000)
                wall.append((time.perf_counter() - started) * 1000)
            queries, status = len(captured.captured_queries), response.status_code
        costs[f"{route.kind}: {label}"] = {
            "status": status,
            "queries": queries,
            "cpu_ms": round(sorted(cpu)[len(cpu) // 2], 1),
            "wall_ms": round(sorted(wall)[len(wall) // 2], 1),
        }
    return costs


def table(summary: dict, meta: dict) -> str:
    lines = [
        f"Load drill: {meta['users']} users for {meta['seconds']} s "
        f"(after a {meta['ramp_seconds']} s ramp) against gunicorn "
        f"({meta['workers']} workers x {meta['threads']} threads) on {meta['cores']} cores, "
        f"locust in its own process on the same cores; load average before "
        f"{meta['load_before']}, after {meta['load_after']}; CPU seconds: "
        f"{meta['cpu_seconds']['server']} server, {meta['cpu_seconds']['locust']} locust "
        f"of {meta['cpu_seconds']['available']} on the cores",
        "",
        f"{'kind':<14} {'requests':>9} {'rps':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7}  goal",
    ]
    for kind, row in summary["kinds"].items():
        goal = ""
        if kind in GOALS_P95_MS:
            ok = row["p95_ms"] <= GOALS_P95_MS[kind]
            goal = f"p95 <= {GOALS_P95_MS[kind]:.0f} ms: {'met' if ok else 'MISSED'}"
        lines.append(
            f"{kind:<14} {row['requests']:>9} {row['rps']:>7.1f} {row['p50_ms']:>8.1f} "
            f"{row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f} {row['errors']:>7}  {goal}"
        )
    ok = summary["errors"] == 0
    lines += [
        f"{'all':<14} {summary['requests']:>9} {summary['rps']:>7.1f} {'':>8} {'':>8} {'':>8} "
        f"{summary['errors']:>7}  0 errors: {'met' if ok else 'MISSED'}",
        "",
        f"{'request':<40} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}",
    ]
    for label, row in summary["requests_by_label"].items():
        lines.append(
            f"{label:<40} {row['requests']:>9} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['errors']:>7}"
        )
    lines += [
        "",
        "Where the time goes (one request at a time, in process: queries, CPU and wall ms)",
    ]
    for label, row in meta.get("where_the_time_goes", {}).items():
        lines.append(
            f"{label:<40} {row['status']:>4} {row['queries']:>4} q {row['cpu_ms']:>7.1f} "
            f"{row['wall_ms']:>7.1f}"
        )
    for error in summary["first_errors"]:
        lines.append(f"  error: {error}")
    return "\n".join(lines)


def write_results(entry: dict) -> None:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["loadtest"] = entry
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


def main() -> int:
    users, seconds = _int("LOADTEST_USERS", 50), _int("LOADTEST_SECONDS", 60)
    # Users arrive over a ramp (2.5 a second: the sign-ins' password hashing spread out), then
    # all of them run for `seconds`; the figures are of those seconds, errors of the whole run.
    rate = float(os.environ.get("LOADTEST_SPAWN_RATE") or 2.5)
    ramp = math.ceil(users / rate)
    url = database_url()
    VAR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    fixtures = prepare(url, users)
    fixtures_file = VAR / "fixtures.json"
    fixtures_file.write_text(json.dumps(fixtures))
    print(f"  prepared {url} in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    services: list = []
    cache = os.environ.get("LOADTEST_CACHE_URL", "")
    if not cache and _reachable(6379):
        cache = "redis://127.0.0.1:6379/2"
    if not cache:
        redis = RedisServer()
        services.append(redis)
        cache = f"{redis.url}/0"
    environment = server_environment(
        DATABASE_URL=url,
        CACHE_URL=cache,
        ALLOWED_HOSTS="127.0.0.1",
        TRUSTED_PROXIES="127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    # Behind a proxy that keeps connections open, the server keeps them open longer than any
    # pause of the clients (gunicorn's 2 s default resets a connection a client is reusing).
    environment["GUNICORN_CMD_ARGS"] = "--keep-alive 75"
    for key in ("REDIS_URL", "CELERY_BROKER_URL"):  # background work runs after the commit
        environment.pop(key, None)
    cores = os.cpu_count() or 1
    threads = _int("LOADTEST_THREADS", 4)
    server = Gunicorn(environment, workers=cores, threads=threads)
    services.append(server)
    raw_file = Path(tempfile.mkstemp(prefix="pn-loadtest-", suffix=".json")[1])
    meta = {
        "users": users,
        "seconds": seconds,
        "spawn_rate": rate,
        "ramp_seconds": ramp,
        "think_seconds": THINK_SECONDS,
        "workers": cores,
        "threads": threads,
        "cores": cores,
        "cache": "redis",
        "database": "postgresql",
        "goals_p95_ms": GOALS_P95_MS,
        "goal_errors": 0,
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }
    with running(*services), (VAR / "locust.log").open("w") as log:
        warm(server.url, fixtures, rounds=2 * cores)
        meta["load_before"] = [round(x, 2) for x in os.getloadavg()]
        server_before, children_before = server_cpu(server), _children_cpu()
        clock = time.perf_counter()
        locust = subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(rate),
                "--run-time",
                f"{ramp + seconds}s",
                "--host",
                server.url,
                "--only-summary",
                "--stop-timeout",
                "30",
                "--loglevel",
                "WARNING",
            ],
            env=os.environ
            | {
                "PYTHONPATH": str(PROJECT),
                "LOADTEST_FIXTURES": str(fixtures_file),
                "LOADTEST_RAW": str(raw_file),
            },
            cwd=PROJECT,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
        meta["load_after"] = [round(x, 2) for x in os.getloadavg()]
        elapsed = time.perf_counter() - clock
        # CPU seconds each side had of the cores' `elapsed` x cores: the rest went elsewhere
        meta["cpu_seconds"] = {
            "available": round(elapsed * cores, 1),
            "server": round(server_cpu(server) - server_before, 1),
            "locust": round(_children_cpu() - children_before, 1),
        }
        server_log = server.log.read_text(errors="replace")
    recorded = json.loads(raw_file.read_text()) if raw_file.stat().st_size else {}
    raw_file.unlink()
    raw = recorded.get("requests", [])
    if not raw:
        print(
            f"locust recorded nothing (exit {locust.returncode}): {VAR / 'locust.log'}",
            file=sys.stderr,
        )
        print(server_log[-3000:], file=sys.stderr)
        return 1
    spawned = recorded.get("spawned_at") or min(r["at"] for r in raw)
    steady = [r for r in raw if r["at"] - r["ms"] / 1000 >= spawned]
    span = max(r["at"] for r in raw) - spawned
    summary = summarise(steady, span)
    whole = summarise(raw, span)
    if SIGN_IN in whole["kinds"]:  # people sign in as they arrive, during the ramp
        summary["kinds"][SIGN_IN] = whole["kinds"][SIGN_IN]
    summary["errors_during_ramp"] = whole["errors"] - summary["errors"]
    summary["errors"] = whole["errors"]
    summary["first_errors"] = whole["first_errors"]
    meta["measured_seconds"] = round(span, 1)
    meta["where_the_time_goes"] = server_costs(fixtures)
    entry = meta | summary
    write_results(entry)
    print(table(summary, meta))
    if summary["errors"]:
        print(f"\n{summary['errors']} requests failed (goal: 0)", file=sys.stderr)
        if "Traceback" in server_log:
            print(server_log[-3000:], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
