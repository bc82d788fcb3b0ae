"""The worker's side: one Celery task runs any outbox job by its id, and one runs a scheduled
job by its name (celery beat, `schedule.BEAT_SCHEDULE`). Both are safe to run twice."""

from __future__ import annotations

import os
import time
from typing import Any

from celery import shared_task
from django.utils import timezone

from .models import SelftestRun
from .registry import job, job_function
from .services import RUN_TASK, job_run, jobs_cleanup, jobs_relay

# Acknowledged only when done, and given back to the queue when the worker dies under it, so
# a killed worker loses nothing (settings: CELERY_TASK_ACKS_LATE, ..._REJECT_ON_WORKER_LOST).
TASK_OPTIONS: dict[str, Any] = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(name=RUN_TASK, bind=True, max_retries=None, **TASK_OPTIONS)
def run_job(self, job_id: str) -> str:
    outcome = job_run(job_id=job_id)
    if outcome.state == "retry" and outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in.total_seconds())
    return outcome.state


@shared_task(name="partnernet.jobs.scheduled", **TASK_OPTIONS)
def run_scheduled(name: str) -> Any:
    """A job of the schedule: idempotent by its own rule (what is due, up to now)."""
    return job_function(name)()


@job("jobs.relay")
def relay() -> int:
    return jobs_relay(now=timezone.now())


@job("jobs.cleanup")
def cleanup() -> int:
    return jobs_cleanup(now=timezone.now())


# The longest a self-test may sleep: it exists to hold a worker busy for a drill, not to block one.
SELFTEST_LONGEST = 60


@job("jobs.selftest")
def selftest(token: str, seconds: float = 0) -> int:
    """Check the pipeline end to end (`partnernet run_jobs --selftest`, the worker drills): wait
    `seconds`, then record one `SelftestRun` for `token`. Killed while it waits, it leaves
    nothing (the run's transaction is rolled back) and runs again."""
    time.sleep(min(max(float(seconds), 0.0), SELFTEST_LONGEST))
    SelftestRun.objects.create(marker=str(token)[:64], pid=os.getpid())
    return SelftestRun.objects.filter(marker=token).count()
