"""The counts of /metrics add up over gunicorn workers and application servers (one Redis hash),
the servers' log lines are JSON with the request id they answered with, and a Redis that stops
slows no request (drill: real gunicorn processes and a private Redis, started here)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from celery import Celery
from django.db import connection

from partnernet.core.observability import REPORT_JOB
from partnernet.jobs.models import Job, JobState
from partnernet.jobs.services import RUN_TASK, job_enqueue
from partnernet.lib import requestlog
from partnernet.lib.testing_services import (
    CeleryWorker,
    Gunicorn,
    RedisServer,
    drill_marks,
    free_port,
    running,
    server_environment,
    wait_until,
)

pytestmark = [*drill_marks("redis-server"), pytest.mark.django_db]
TOKEN = "drill-metrics-token"
HEALTHZ = 'partnernet_http_requests_total{method="GET",route="healthz",status="2xx"}'


def test_database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER']}{password}@{host}:{port}/{s['NAME']}"


test_database_url.__test__ = False  # type: ignore[attr-defined]  (a helper, not a test)


def get(url: str, headers: dict | None = None) -> tuple[int, dict, str, float]:
    started = time.perf_counter()
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (loopback)
            status, head, body = answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        status, head, body = error.code, dict(error.headers), error.read().decode()
    return status, head, body, time.perf_counter() - started


def sample(text: str, series: str) -> float:
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_counts_add_up_over_workers_and_servers_and_logs_are_json():
    redis_server = RedisServer()
    with running(redis_server):
        environment = server_environment(
            DATABASE_URL=test_database_url(),
            CACHE_URL=redis_server.url,
            CELERY_BROKER_URL=redis_server.url,
            METRICS_TOKEN=TOKEN,
            LOG_LEVEL="INFO",
        )
        first, second = Gunicorn(environment, workers=2), Gunicorn(environment, workers=2)
        with running(first, second):
            bearer = {"Authorization": f"Bearer {TOKEN}"}
            time.sleep(1.5)  # the start-up probes' counts are handed to Redis (every second)
            before = sample(get(f"{first.url}/metrics", bearer)[2], HEALTHZ)
            ids = []
            for n in range(30):
                server = first if n % 3 else second
                status, head, _body, _s = get(f"{server.url}/healthz")
                assert status == 200
                ids.append(head["X-Request-ID"])
            assert len(set(ids)) == 30
            for server in (first, second):
                # every worker of both servers; another process's counts lag at most a second
                wait_until(
                    lambda: (
                        sample(get(f"{server.url}/metrics", bearer)[2], HEALTHZ)  # noqa: B023
                        == before + 30
                    ),
                    timeout=5,
                    what="the counts of every worker",
                )
                status, head, text, _s = get(f"{server.url}/metrics", bearer)
                assert status == 200 and head["Content-Type"].startswith("text/plain")
                assert sample(text, HEALTHZ) == before + 30
                assert sample(text, 'partnernet_broker_queue_length{queue="celery"}') == 0
            assert get(f"{first.url}/metrics", {"Authorization": "Bearer no"})[0] == 403

            redis_server.stop()
            slowest = max(get(f"{first.url}/healthz")[3] for _ in range(10))
            status, _head, text, _s = get(f"{first.url}/metrics", bearer)
            assert status == 200 and "partnernet_broker_queue_length" not in text
            redis_server.start()
        logged = first.log.read_text().splitlines() + second.log.read_text().splitlines()
    records = [json.loads(line) for line in logged if line.startswith("{")]
    access = {r["request_id"]: r for r in records if r["logger"] == "partnernet.access"}
    assert set(ids) <= set(access)
    assert all(access[i]["route"] == "healthz" and access[i]["status"] == 200 for i in ids)
    print(f"slowest /healthz with Redis stopped: {slowest * 1000:.0f} ms")
    assert slowest < 1.5


@pytest.mark.django_db(transaction=True)
def test_a_workers_lines_of_a_job_carry_the_request_id_that_asked_for_it():
    """A request asked for an error report; the webhook is down, so the worker's warning about
    the failed attempt is a JSON line with that request's id and the job's name."""
    redis_server = RedisServer()
    with running(redis_server):
        environment = server_environment(
            DATABASE_URL=test_database_url(),
            CELERY_BROKER_URL=redis_server.url,
            ERROR_REPORT_URL=f"http://127.0.0.1:{free_port()}/nobody-listens",
            LOG_FORMAT="json",
        )
        with running(CeleryWorker(environment)) as (worker,):
            with requestlog.context(request_id="drill-request-7", person=7):
                queued = job_enqueue(
                    name=REPORT_JOB,
                    arguments={"channel": "url", "exception": "X", "stack": [], "route": "r"},
                    delay=timedelta(hours=1),  # not run here: handed to the worker below
                )
            # Not the current app: later tests publish through the project's own.
            publisher = Celery("drill", broker=redis_server.url, set_as_current=False)
            publisher.send_task(RUN_TASK, args=[str(queued.pk)])

            def reported() -> bool:
                return any(
                    line.startswith("{") and json.loads(line).get("job") == REPORT_JOB
                    for line in worker.output().splitlines()
                )

            wait_until(reported, timeout=30, what="the worker's line of the job")
            # The line is written before the failed attempt is saved with it.
            wait_until(lambda: Job.objects.get(pk=queued.pk).attempts == 1, timeout=10)
            lines = [json.loads(x) for x in worker.output().splitlines() if x.startswith("{")]
    mine = [line for line in lines if line.get("job") == REPORT_JOB]
    assert mine and all(line["request_id"] == "drill-request-7" for line in mine)
    # The failure is named by its class and place, never its message (jobs.services).
    assert mine[0]["level"] == "WARNING" and ": URLError at " in mine[0]["message"]
    assert any("ready." in line["message"] for line in lines)  # Celery's own lines are JSON too
    failed = Job.objects.get(pk=queued.pk)
    assert failed.state == JobState.PENDING and failed.attempts == 1
