"""IATI export of every published partnership (10 000 generated + the seed): wall time, peak
resident memory of the exporting process, and the peak of Python allocations over the second
block of 1 000 activities vs the last block (equal when memory is flat: nothing accumulates)."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.data import ensure_generated_partnerships
from bench.util import metric

EXPORT = """
import json, sys, time, django
django.setup()
from partnernet.opendata import exports
started = time.perf_counter()
with open(sys.argv[1], "wb") as out:
    exports.iati_activities_write(out)
seconds = time.perf_counter() - started
# VmHWM, not ru_maxrss: ru_maxrss survives exec and would report the parent's peak.
status = open("/proc/self/status").read().split("VmHWM:")[1]
peak_mb = int(status.split()[0]) / 1024
print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_mb}))
"""
TRACED = """
import json, sys, tracemalloc, django
django.setup()
from partnernet.opendata import exports, iati
tracemalloc.start()
peaks, count = [], 0
def counted():
    global count
    for element in exports.iati_activities():
        count += 1
        if count % 1000 == 0:  # peak of Python allocations over each block of 1 000 activities
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.reset_peak()
        yield element
with open(sys.argv[1], "wb") as out:
    iati.write_activities(out, counted())
print(json.dumps({"first": peaks[1], "last": peaks[-1], "activities": count}))
"""


def _run(script: str, ctx: dict) -> dict:
    # As in production: DEBUG off (no query log); the secret only has to pass the settings' checks.
    env = dict(
        os.environ,
        DATABASE_URL=ctx["database_url"],
        DJANGO_SETTINGS_MODULE="partnernet.settings",
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 60,
        ALLOWED_HOSTS="localhost",
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "iati.xml"
        done = subprocess.run(
            [sys.executable, "-c", script, str(out)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["bytes"] = out.stat().st_size
    return result


def run(ctx: dict) -> dict:
    ensure_generated_partnerships(n=10_000)
    timed = _run(EXPORT, ctx)
    traced = _run(TRACED, ctx)
    mb = 1024 * 1024
    return {
        "iati_export_activities": metric(traced["activities"], "activities", lower_is_better=False),
        "iati_export_s": metric(timed["seconds"], "s"),
        "iati_export_peak_rss_mb": metric(timed["peak_rss_mb"], "MB"),
        "iati_export_traced_peak_second_1000_mb": metric(traced["first"] / mb, "MB"),
        "iati_export_traced_peak_last_1000_mb": metric(traced["last"] / mb, "MB"),
        "iati_export_file_mb": metric(timed["bytes"] / mb, "MB"),
    }
