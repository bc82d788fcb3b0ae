"""Background work, owned here: `job_enqueue` is the only way a change asks for work after it.

- With a broker (`CELERY_BROKER_URL`, or `REDIS_URL`) the job is published after the commit and
  a worker (`partnernet worker`) runs it; publishing never fails the request: a broker that is
  down leaves the job waiting in the outbox, and `jobs_relay` (every minute, from the scheduler)
  hands it over when the broker is back.
- Without one (`make demo`, the tests) the job runs in this process right after the commit, and
  waiting jobs that are due are run along with it.

`job_run` runs a job at most once to completion: the job row is locked, its function runs in a
savepoint and the row is marked done in the same transaction, so a worker killed in the middle
leaves nothing behind and the job runs again. A failure is retried with backoff
(`backoff.retry_delay`) and given up after `backoff.MAX_ATTEMPTS`.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from partnernet.celery import app as celery_app
from partnernet.lib import metrics, requestlog

from . import backoff
from .models import Job, JobState
from .registry import job_function

logger = logging.getLogger(__name__)

# A pending job handed to the broker this long ago and still not done is handed over again
# (the broker or a worker lost it); running it twice is harmless (`job_run` is once-only).
REDISPATCH_AFTER = timedelta(minutes=10)
# How many due jobs a relay run (or an in-process commit) hands over at most.
RELAY_BATCH = 500
# Done jobs are kept this long for the metrics and for looking into a problem.
KEEP_DONE = timedelta(days=7)
RUN_TASK = "partnernet.jobs.run"
# The id of the request that asked for a job, kept in its arguments under this key and taken
# out before the job's function is called: the worker's log lines of the job carry it.
REQUEST_ID_ARGUMENT = "_request_id"


def broker_configured() -> bool:
    return bool(getattr(settings, "CELERY_BROKER_URL", ""))


def job_enqueue(
    *, name: str, arguments: dict[str, Any] | None = None, delay: timedelta | None = None
) -> Job:
    """Ask for the job `name` with `arguments` (plain JSON values) after the current transaction
    commits; nothing happens when it rolls back."""
    job_function(name)  # an unknown name fails here, in the change that asks for it
    now = timezone.now()
    arguments = dict(arguments or {})
    request_id = requestlog.current_request_id()
    if request_id:
        arguments[REQUEST_ID_ARGUMENT] = request_id
    job = Job.objects.create(
        name=name, arguments=arguments, run_after=now + (delay or timedelta(0))
    )
    if delay is None:
        transaction.on_commit(lambda: _dispatch_after_commit(job.pk))
    return job


def _dispatch_after_commit(job_id: Any) -> None:
    """After the commit the change is made: nothing here may fail the request."""
    try:
        if broker_configured():
            _publish(job_id)
        else:
            now = timezone.now()
            # Only while it is still due: a job already tried (and failed) by an earlier
            # commit's run of the due jobs waits for its backoff, not for this callback.
            if _due(now).filter(pk=job_id).exists():
                job_run(job_id=job_id)
            jobs_run_due(now=now)
    except Exception as error:
        logger.warning(
            "jobs: job %s could not be started now; it waits: %s at %s",
            job_id,
            type(error).__name__,
            failure_place(error),
        )


@dataclass(frozen=True)
class Outcome:
    state: str  # "done", "retry", "failed", "missing" or "busy"
    retry_in: timedelta | None = None


def job_run(*, job_id: Any) -> Outcome:
    """Run the job once to completion (see the module's docstring); its log lines carry the id
    of the request that asked for it, and its outcome is counted for `/metrics`."""
    with requestlog.context(**requestlog.current()):  # the job's fields end with it
        return _job_run(job_id)


def _job_run(job_id: Any) -> Outcome:
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return Outcome("missing")
        if job.state != JobState.PENDING:
            return Outcome(job.state)
        arguments = dict(job.arguments)
        request_id = arguments.pop(REQUEST_ID_ARGUMENT, None)
        requestlog.bind(request_id=request_id or requestlog.current_request_id(), job=job.name)
        try:
            with transaction.atomic():
                job_function(job.name)(**arguments)
        except Exception as error:
            job.attempts += 1
            job.last_error = type(error).__name__[:200]
            # The exception's class and where it was raised, never its message or the
            # traceback's text: either could carry an address or a name (`failure_place`).
            logger.warning(
                "jobs: %s (job %s) failed (attempt %s): %s at %s",
                job.name,
                job.pk,
                job.attempts,
                job.last_error,
                failure_place(error),
            )
            if backoff.gives_up(job.attempts):
                job.state = JobState.FAILED
                job.save(update_fields=["attempts", "last_error", "state"])
                metrics.count_job(name=job.name, outcome="failed")
                return Outcome("failed")
            delay = backoff.retry_delay(job.attempts)
            job.run_after = now + delay
            job.dispatched_at = None
            job.save(update_fields=["attempts", "last_error", "run_after", "dispatched_at"])
            metrics.count_job(name=job.name, outcome="retry")
            return Outcome("retry", delay)
        job.attempts += 1
        job.state = JobState.DONE
        job.done_at = timezone.now()
        job.save(update_fields=["attempts", "state", "done_at"])
    metrics.count_job(name=job.name, outcome="done")
    return Outcome("done")


def failure_place(error: BaseException) -> str:
    """`module.py:line in function` of the innermost frame: enough to find the fault, with
    none of the values (an exception's message may name a person or an address)."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "?"
    frame = frames[-1]
    return f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"


def _due(now: datetime) -> QuerySet[Job]:
    return Job.objects.filter(state=JobState.PENDING, run_after__lte=now).filter(
        Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - REDISPATCH_AFTER)
    )


def jobs_relay(*, now: datetime) -> int:
    """Hand every due job to the broker (or, without one, run it here); returns how many."""
    if not broker_configured():
        return jobs_run_due(now=now)
    handed = 0
    for job_id in list(_due(now).order_by("run_after").values_list("pk", flat=True)[:RELAY_BATCH]):
        try:
            _publish(job_id)
        except Exception as error:
            logger.warning(
                "jobs: the broker does not take jobs; %s waits: %s at %s",
                job_id,
                type(error).__name__,
                failure_place(error),
            )
            break
        handed += 1
    return handed


def jobs_run_due(*, now: datetime) -> int:
    """Run here every due job (no broker: the demo, a command, the tests)."""
    ran = 0
    for job_id in list(_due(now).order_by("run_after").values_list("pk", flat=True)[:RELAY_BATCH]):
        job_run(job_id=job_id)
        ran += 1
    return ran


def jobs_cleanup(*, now: datetime) -> int:
    """Forget jobs done more than `KEEP_DONE` ago; returns how many."""
    deleted, _ = Job.objects.filter(state=JobState.DONE, done_at__lt=now - KEEP_DONE).delete()
    return deleted


def jobs_waiting() -> int:
    """How many jobs wait (pending): the queue's length as the outbox sees it."""
    return Job.objects.filter(state=JobState.PENDING).count()


def _publish(job_id: Any) -> None:
    # By name: the worker's task (`tasks.run_job`) wraps `job_run`, so importing it here would
    # be a cycle; the app is `partnernet.celery`, made the default when the package loads.
    celery_app.send_task(RUN_TASK, args=[str(job_id)], retry=False)
    Job.objects.filter(pk=job_id, state=JobState.PENDING).update(dispatched_at=timezone.now())
