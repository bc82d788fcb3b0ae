"""Counters and histograms for `/metrics`, in the Prometheus text exposition format (0.0.4).

Several gunicorn workers on several application servers answer requests, so a counter kept in
one process would tell a scraper a different number on every scrape. With Redis configured
(`CACHE_URL`, else `REDIS_URL`) every count is a HINCRBY on one hash that all processes share;
without it (the demo, most tests) the counts are kept in this process. Counting never fails or
slows what is counted: a request adds to its process's pending counts, a thread hands them to
Redis every second with a short timeout, and after a failure Redis is left alone for a few
seconds (the counts of that moment are lost, the request is not).

A histogram is kept per bucket (not cumulative) and made cumulative when written out.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

KEY = "partnernet:metrics"
TIMEOUT = 0.25  # seconds: a count is never worth a slow request
PAUSE_AFTER_FAILURE = 5.0  # seconds without trying Redis after it failed
FLUSH_EVERY = 1.0  # seconds: how far another process's counts may lag on a scrape
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Seconds; the last bucket is +Inf.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass(frozen=True)
class Metric:
    name: str
    kind: str  # counter, histogram, gauge
    help: str


REQUESTS = Metric(
    "partnernet_http_requests_total", "counter", "HTTP requests by method, route and status class"
)
DURATION = Metric(
    "partnernet_http_request_duration_seconds", "histogram", "HTTP request duration by route kind"
)
JOBS = Metric("partnernet_jobs_total", "counter", "Background job runs by name and outcome")
STORED = (REQUESTS, DURATION, JOBS)


def _escape(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(labels: Mapping[str, object]) -> str:
    return ",".join(f'{key}="{_escape(value)}"' for key, value in labels.items())


def _field(metric: Metric, labels: Mapping[str, object], suffix: str = "") -> str:
    return f"{metric.name}{suffix}|{_labels(labels)}"


def bucket_of(seconds: float) -> str:
    return next((str(b) for b in BUCKETS if seconds <= b), "+Inf")


class Store:
    """Where the counts live: one Redis hash when Redis is configured, else this process.

    With Redis a request only adds to this process's pending counts; a thread of the process
    hands them to Redis every `FLUSH_EVERY` seconds (and when the process exits, and before
    this process answers a scrape), so no request waits for Redis."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._local: dict[str, float] = defaultdict(float)
        self._pending: dict[str, float] = defaultdict(float)
        self._client: redis.Redis | None = None
        self._url: str | None = None
        self._paused_until = 0.0
        self._flusher_pid: int | None = None

    def url(self) -> str:
        url = getattr(settings, "CACHE_URL", "") or getattr(settings, "REDIS_URL", "")
        return url if url.startswith(("redis://", "rediss://", "unix://")) else ""

    def client(self) -> redis.Redis | None:
        url = self.url()
        if not url:
            return None
        if self._client is None or self._url != url:
            self._client = redis.Redis.from_url(
                url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT
            )
            self._url = url
        return self._client

    def add(self, amounts: Mapping[str, float]) -> None:
        shared = bool(self.url())
        with self._lock:
            target = self._pending if shared else self._local
            for field, amount in amounts.items():
                target[field] += amount
        if shared and self._flusher_pid != os.getpid():
            self._start_flusher()

    def _start_flusher(self) -> None:
        with self._lock:
            if self._flusher_pid == os.getpid():
                return
            if self._flusher_pid is not None:  # a forked child: what the parent had pending
                self._pending.clear()  # is the parent's to hand over
            self._flusher_pid = os.getpid()  # each process has its own flusher
        threading.Thread(target=self._flush_forever, name="metrics-flush", daemon=True).start()
        atexit.register(self.flush)

    def _flush_forever(self) -> None:
        while True:
            time.sleep(FLUSH_EVERY)
            self.flush()

    def flush(self) -> None:
        """Hand this process's pending counts to Redis (dropped when it does not answer)."""
        with self._lock:
            pending, self._pending = self._pending, defaultdict(float)
        client = self.client()
        if not pending or client is None or time.monotonic() < self._paused_until:
            return
        try:
            pipe = client.pipeline(transaction=False)
            for field, amount in pending.items():
                if float(amount).is_integer():
                    pipe.hincrby(KEY, field, int(amount))
                else:
                    pipe.hincrbyfloat(KEY, field, amount)
            pipe.execute()
        except (redis.RedisError, OSError):
            self._paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
            logger.warning("metrics: Redis does not answer; counts are dropped for a while")

    def snapshot(self) -> dict[str, float]:
        client = self.client()
        if client is None:
            with self._lock:
                return dict(self._local)
        self.flush()
        try:
            raw = client.hgetall(KEY)
        except (redis.RedisError, OSError):
            return {}
        return {k.decode(): float(v) for k, v in raw.items()}  # type: ignore[union-attr]

    def clear(self) -> None:
        """Forget every count (tests)."""
        with self._lock:
            self._local.clear()
            self._pending.clear()
        client = self.client()
        if client is not None:
            with contextlib.suppress(redis.RedisError, OSError):
                client.delete(KEY)


STORE = Store()


def count_request(*, method: str, route: str, status: int, kind: str, seconds: float) -> None:
    labels = {"method": method, "route": route, "status": f"{status // 100}xx"}
    STORE.add(
        {
            _field(REQUESTS, labels): 1,
            _field(DURATION, {"kind": kind, "le": bucket_of(seconds)}, "_bucket"): 1,
            _field(DURATION, {"kind": kind}, "_sum"): round(seconds, 6),
            _field(DURATION, {"kind": kind}, "_count"): 1,
        }
    )


def count_job(*, name: str, outcome: str) -> None:
    STORE.add({_field(JOBS, {"name": name, "outcome": outcome}): 1})


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _cumulative(samples: dict[str, float]) -> list[str]:
    """The buckets of each label set made cumulative, with every bucket written out."""
    buckets: dict[str, dict[str, float]] = defaultdict(dict)
    prefix = f"{DURATION.name}_bucket|"
    for field, value in samples.items():
        if field.startswith(prefix):
            labels = field[len(prefix) :]
            rest, _, le = labels.rpartition(',le="')
            buckets[rest][le.rstrip('"')] = value
    lines = []
    for labels in sorted(buckets):
        running = 0.0
        for bound in [*map(str, BUCKETS), "+Inf"]:
            running += buckets[labels].get(bound, 0)
            lines.append(f'{DURATION.name}_bucket{{{labels},le="{bound}"}} {_number(running)}')
        for suffix in ("_sum", "_count"):
            value = samples.get(f"{DURATION.name}{suffix}|{labels}", 0)
            lines.append(f"{DURATION.name}{suffix}{{{labels}}} {_number(value)}")
    return lines


def exposition(gauges: Iterable[tuple[Metric, Mapping[str, object], float]] = ()) -> str:
    """Every stored count, and the gauges given (measured now), as Prometheus text."""
    samples = STORE.snapshot()
    out: list[str] = []
    for metric in STORED:
        out += [f"# HELP {metric.name} {metric.help}", f"# TYPE {metric.name} {metric.kind}"]
        if metric is DURATION:
            out += _cumulative(samples)
            continue
        for field in sorted(f for f in samples if f.startswith(f"{metric.name}|")):
            labels = field.split("|", 1)[1]
            out.append(f"{metric.name}{{{labels}}} {_number(samples[field])}")
    seen: set[str] = set()
    for metric, gauge_labels, value in gauges:
        if metric.name not in seen:
            out += [f"# HELP {metric.name} {metric.help}", f"# TYPE {metric.name} {metric.kind}"]
            seen.add(metric.name)
        label_text = f"{{{_labels(gauge_labels)}}}" if gauge_labels else ""
        out.append(f"{metric.name}{label_text} {_number(value)}")
    return "\n".join(out) + "\n"
