"""Under gunicorn (issue 16): `bench.wsgi` (Partnernet plus a trivial view) as `partnernet
serve` runs it, 2 workers × 4 threads, DEBUG=0, the page cache in each worker's memory, on the
bench database; a client of 16 threads (http.client, one keep-alive connection each).

1. One interleaved run: short slices alternate between the trivial view and the cached
   catalogue page, so both see the same machine; throughput ratio catalogue/trivial (goal
   ≥ 0.5) and the cached catalogue p95 (goal ≤ 50 ms).
2. 2 000 mixed requests (catalogue pages and searches, the map, the API, partnership pages),
   then each worker's peak RSS (VmHWM in /proc/<pid>/status; goal ≤ 400 MB).

`BENCH_GUNICORN_SECONDS` (20) is the length of the interleaved run, slices of 1 s.
"""

import contextlib
import http.client
import itertools
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.bench_scale import SEARCHES
from bench.util import metric, percentile
from partnernet.lib.testing_services import free_port, server_environment, wait_until
from partnernet.partnerships.models import Partnership

CONCURRENCY = 16
WORKERS, THREADS = 2, 4
SLICE_SECONDS = 1.0
MIXED_REQUESTS = 2000
CATALOGUE = "/en/partnerships/?area=education"
TRIVIAL_PATH = "/bench-trivial/"  # served by bench.wsgi (not imported here: it sets Django up)
GOAL_RATIO, GOAL_P95_MS, GOAL_RSS_MB = 0.5, 50.0, 400.0
PROJECT = Path(__file__).resolve().parents[1]


def start_server(database_url: str) -> tuple[subprocess.Popen, int, Path]:
    environment = server_environment(
        DATABASE_URL=database_url,
        CACHE_URL="",  # each worker's own memory, as `partnernet serve` without Redis
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        GUNICORN_CMD_ARGS="--keep-alive 75",
    )
    for key in ("REDIS_URL", "CELERY_BROKER_URL"):
        environment.pop(key, None)
    port = free_port()
    log = PROJECT / "var" / "bench-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("wb") as out:
        # As deploy/systemd/partnernet-web.service: the search files before the workers fork.
        subprocess.run(
            [sys.executable, "-m", "partnernet", "warm_search"],
            env=environment,
            cwd=PROJECT,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
        )
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bench.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--threads",
                str(THREADS),
                "--timeout",
                "1800",  # today a worker's first catalogue page builds its indexes: minutes
            ],
            env=environment,
            cwd=PROJECT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def answers() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log.read_text()[-3000:]}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            return get(http.client.HTTPConnection("127.0.0.1", port, timeout=5), TRIVIAL_PATH)[0]
        return False

    wait_until(answers, timeout=300, what=f"gunicorn on {port} ({log})")
    return process, port, log


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 9)
            process.wait(10)


def get(conn: http.client.HTTPConnection, url: str) -> tuple[int, float]:
    """(status, ms) of one GET on a kept-alive connection."""
    started = time.perf_counter()
    conn.request("GET", url)
    response = conn.getresponse()
    response.read()
    return response.status, (time.perf_counter() - started) * 1000


def _client(port: int, next_url, out: list, errors: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1800)
    while (item := next_url()) is not None:
        kind, url = item
        started = time.perf_counter()
        try:
            status, ms = get(conn, url)
        except (OSError, http.client.HTTPException) as error:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1800)
            errors.append(f"{url}: {error!r}")
            continue
        if status != 200:
            errors.append(f"{url}: {status}")
        out.append((kind, started, ms))
    conn.close()


def run_clients(port: int, next_url) -> tuple[list, list]:
    out: list = []
    errors: list = []
    threads = [
        threading.Thread(target=_client, args=(port, next_url, out, errors))
        for _ in range(CONCURRENCY)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out, errors


def interleaved(port: int, seconds: float) -> dict:
    """Alternating slices of the trivial view and the cached catalogue page."""
    urls = {"trivial": TRIVIAL_PATH, "catalogue": CATALOGUE}
    kinds = ("trivial", "catalogue")
    began = time.perf_counter()
    end = began + seconds

    def next_url():
        now = time.perf_counter()
        if now >= end:
            return None
        kind = kinds[int((now - began) / SLICE_SECONDS) % 2]
        return kind, urls[kind]

    out, errors = run_clients(port, next_url)
    per_kind = {kind: [row for row in out if row[0] == kind] for kind in kinds}
    slices = int(seconds / SLICE_SECONDS)
    time_per_kind = {
        "trivial": SLICE_SECONDS * ((slices + 1) // 2),
        "catalogue": SLICE_SECONDS * (slices // 2),
    }
    rps = {kind: len(per_kind[kind]) / time_per_kind[kind] for kind in kinds}
    return {
        "rps": rps,
        "p95": {kind: percentile([row[2] for row in per_kind[kind]], 95) for kind in kinds},
        "errors": errors,
    }


def mixed_urls(n: int) -> list[tuple[str, str]]:
    slugs = list(
        Partnership.objects.filter(slug__startswith="gen-", publication="published")
        .order_by("pk")
        .values_list("slug", flat=True)[:400]
    )
    pages = [
        "/en/partnerships/",
        "/sv/partnerships/?area=education&sdg=16",
        "/uk/partnerships/?country=UA&page=7",
        "/en/partnerships/?sort=-start&page=40",
        "/en/map/",
        "/api/v1/partnerships?lang=en",
        "/api/v1/partnerships?sdg=16&page=5&lang=sv",
    ]
    searches = [f"/{lang}/partnerships/?" + urlencode({"q": q}) for lang, q in SEARCHES] + [
        "/api/v1/partnerships?" + urlencode({"q": q}) for _, q in SEARCHES[::5]
    ]
    details = [f"/en/partnerships/{slug}/" for slug in slugs]
    mix = itertools.cycle(
        itertools.chain.from_iterable(
            zip(itertools.cycle(pages), searches * 4, details, strict=False)
        )
    )
    return [("mixed", next(mix)) for _ in range(n)]


def peak_rss_mb(master: int) -> list[float]:
    """VmHWM of each worker (the master's children), in MB."""
    found = subprocess.run(
        ["pgrep", "-P", str(master)], capture_output=True, text=True, check=False
    ).stdout.split()
    peaks = []
    for pid in found:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
    return peaks


def run(ctx: dict) -> dict:
    seconds = float(os.environ.get("BENCH_GUNICORN_SECONDS") or 20)
    process, port, log = start_server(ctx["database_url"])
    try:
        # Every worker builds its indexes and caches the page: first one request at a time on
        # new connections (today concurrent misses in one worker each build the indexes again),
        # then the 16 clients.
        for _ in range(6):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1800)
            get(conn, CATALOGUE)
            conn.close()
        warm = iter([("warm", CATALOGUE)] * 100 + [("warm", TRIVIAL_PATH)] * 50)
        lock = threading.Lock()

        def next_warm():
            with lock:
                return next(warm, None)

        _, warm_errors = run_clients(port, next_warm)
        figures = interleaved(port, seconds)
        mixed = iter(mixed_urls(MIXED_REQUESTS))

        def next_mixed():
            with lock:
                return next(mixed, None)

        started = time.perf_counter()
        done, mixed_errors = run_clients(port, next_mixed)
        mixed_seconds = time.perf_counter() - started
        peaks = peak_rss_mb(process.pid)
    finally:
        stop_server(process)
    errors = warm_errors + figures["errors"] + mixed_errors
    for error in errors[:5]:
        print(f"  bench_gunicorn: {error}")
    rps = figures["rps"]
    return {
        "gunicorn_trivial_rps": metric(rps["trivial"], "req/s", False),
        "gunicorn_cached_catalogue_rps": metric(rps["catalogue"], "req/s", False),
        "gunicorn_cached_catalogue_vs_trivial_ratio": metric(
            rps["catalogue"] / rps["trivial"] if rps["trivial"] else 0,
            "ratio",
            False,
            goal=GOAL_RATIO,
        ),
        "gunicorn_cached_catalogue_p95_ms": metric(
            figures["p95"]["catalogue"], "ms", goal=GOAL_P95_MS
        ),
        "gunicorn_trivial_p95_ms": metric(figures["p95"]["trivial"], "ms"),
        "gunicorn_mixed_requests": metric(len(done), "requests", False),
        "gunicorn_mixed_p95_ms": metric(percentile([r[2] for r in done], 95) if done else 0, "ms"),
        "gunicorn_mixed_seconds": metric(mixed_seconds, "s"),
        "gunicorn_worker_peak_rss_max_mb": metric(
            max(peaks) if peaks else 0.0, "MB", goal=GOAL_RSS_MB
        ),
        "gunicorn_workers_measured": metric(len(peaks), "workers", False, goal=WORKERS, exact=True),
        "gunicorn_errors": metric(len(errors), "responses", goal=0),
    }
