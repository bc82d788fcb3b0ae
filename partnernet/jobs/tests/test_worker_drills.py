"""Drills against a real broker and a real worker (issue 15): a private Redis and `celery -A
partnernet worker` started here, the worker on the test database. A job committed in this
process is run by the worker; a pool child killed in the middle of a job leaves nothing and the
job runs again, its effect once; a job committed while the broker is down waits in the outbox
and runs once when the relay hands it over."""

from __future__ import annotations

import os
import signal
import time
import uuid
from urllib.parse import quote

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from kombu import pools

from partnernet.celery import app as celery_app
from partnernet.jobs.models import Job, JobState, SelftestRun
from partnernet.jobs.services import job_enqueue, jobs_relay
from partnernet.lib.testing_services import (
    CeleryWorker,
    RedisServer,
    drill_marks,
    server_environment,
    wait_until,
)

pytestmark = [*drill_marks("redis-server"), pytest.mark.django_db(transaction=True)]

# Short, so a message a dead worker never acknowledged comes back soon (the second net).
VISIBILITY_TIMEOUT = 8


def database_url() -> str:
    """The migrated test database, as the worker's DATABASE_URL."""
    given = connection.settings_dict
    password = f":{quote(given['PASSWORD'])}" if given.get("PASSWORD") else ""
    host = given.get("HOST") or "127.0.0.1"
    port = given.get("PORT") or "5432"
    return f"postgres://{quote(given['USER'])}{password}@{host}:{port}/{given['NAME']}"


def forget_broker_connections() -> None:
    """Celery keeps a pool of broker connections per process: a test with another broker URL
    must not publish through the last one's."""
    pools.reset()  # kombu's pools of connections and producers, per broker URL
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker(settings):
    redis = RedisServer().start()
    settings.CELERY_BROKER_URL = redis.url  # job_enqueue publishes after the commit
    forget_broker_connections()
    yield redis
    forget_broker_connections()
    if redis.process is not None and redis.process.poll() is None:
        redis.stop()


@pytest.fixture
def worker(broker):
    environment = server_environment(
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=broker.url,
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
    )
    started = CeleryWorker(environment).start()
    yield started
    started.stop()


def enqueue_selftest(seconds: float = 0) -> tuple[Job, str]:
    token = uuid.uuid4().hex
    with transaction.atomic():
        job = job_enqueue(name="jobs.selftest", arguments={"token": token, "seconds": seconds})
    return job, token


def state(job: Job) -> str:
    return Job.objects.values_list("state", flat=True).get(pk=job.pk)


def runs(token: str) -> list[SelftestRun]:
    return list(SelftestRun.objects.filter(marker=token))


def locked_by_a_worker(job: Job) -> bool:
    """The job row is locked: a worker is in the middle of running it."""
    try:
        with transaction.atomic():
            Job.objects.select_for_update(nowait=True).filter(pk=job.pk).first()
    except DatabaseError:
        return True
    return False


def test_a_job_committed_here_is_run_by_the_worker_and_marked_done(worker):
    started = time.monotonic()
    job, token = enqueue_selftest()
    wait_until(lambda: state(job) == JobState.DONE, timeout=20, what=worker.output()[-2000:])
    elapsed = time.monotonic() - started
    [run] = runs(token)
    assert run.pid not in (0, os.getpid())  # the worker ran it, not this process
    job.refresh_from_db()
    assert (job.attempts, job.last_error) == (1, "")
    assert job.dispatched_at is not None  # handed to the broker after the commit
    assert "partnernet.jobs.run" in worker.output()
    print(f"committed → done by the worker: {elapsed:.2f} s")


def test_a_worker_killed_in_the_middle_of_a_job_runs_it_again_and_its_effect_happens_once(
    worker,
):
    job, token = enqueue_selftest(seconds=3)
    wait_until(lambda: locked_by_a_worker(job), timeout=20, what="the worker took the job")
    [child] = worker.children()
    killed_at = time.monotonic()
    os.kill(child, signal.SIGKILL)
    assert runs(token) == [] and state(job) == JobState.PENDING  # nothing of the killed run
    wait_until(lambda: state(job) == JobState.DONE, timeout=40, what=worker.output()[-3000:])
    elapsed = time.monotonic() - killed_at
    [run] = runs(token)
    assert run.pid != child  # a new pool child ran it
    job.refresh_from_db()
    assert job.attempts == 1  # the killed attempt was rolled back with its effect
    assert "WorkerLostError" in worker.output()
    # The broker gives nothing back later (the visibility timeout, the second net, redelivers
    # only what was never acknowledged): still one effect after it has passed.
    time.sleep(VISIBILITY_TIMEOUT + 2)
    assert len(runs(token)) == 1 and state(job) == JobState.DONE
    print(f"killed → run again and done: {elapsed:.2f} s")


def test_a_job_committed_while_the_broker_is_down_runs_once_when_the_relay_hands_it_over(
    broker, worker
):
    broker.stop()
    started = time.monotonic()
    job, token = enqueue_selftest()
    committed_in = time.monotonic() - started
    assert committed_in < 2.0  # the commit neither fails nor hangs on a dead broker
    job.refresh_from_db()
    assert job.state == JobState.PENDING and job.dispatched_at is None  # it waits in the outbox
    broker.start()  # same port, empty: the message never reached it
    back_at = time.monotonic()
    wait_until(lambda: jobs_relay_hands_over(job), timeout=20, what="the relay reached Redis")
    wait_until(lambda: state(job) == JobState.DONE, timeout=40, what=worker.output()[-3000:])
    elapsed = time.monotonic() - back_at
    assert len(runs(token)) == 1
    assert jobs_relay(now=job.run_after) == 0  # done: nothing to hand over again
    print(f"commit with the broker down: {committed_in:.2f} s; broker back → done: {elapsed:.2f} s")


def jobs_relay_hands_over(job: Job) -> bool:
    jobs_relay(now=timezone.now())
    return Job.objects.filter(pk=job.pk, dispatched_at__isnull=False).exists() or (
        state(job) == JobState.DONE
    )
