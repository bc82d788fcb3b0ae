"""The outbox: a job runs after the commit (never on a rollback), once to completion, is
retried with backoff when it fails, and is given up after the last attempt."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from partnernet.jobs import backoff
from partnernet.jobs.models import Job, JobState
from partnernet.jobs.registry import REGISTRY, UnknownJob, job
from partnernet.jobs.services import job_enqueue, job_run, jobs_cleanup, jobs_relay

pytestmark = pytest.mark.django_db

CALLS: list[dict] = []
FAILURES = {"left": 0}


@job("jobs.test.record")
def record(**arguments):
    if FAILURES["left"]:
        FAILURES["left"] -= 1
        raise ConnectionRefusedError("the mail server said no")
    CALLS.append(arguments)
    # An effect in the database: rolled back with the job when the job fails after it.
    Job.objects.create(name="jobs.test.effect", arguments=arguments, state=JobState.DONE)


@pytest.fixture(autouse=True)
def _clean():
    CALLS.clear()
    FAILURES["left"] = 0
    yield
    FAILURES["left"] = 0


def jobs_of_these_tests() -> bool:
    """Jobs of these tests exist (the demo data's own jobs, such as embeddings, are left out)."""
    return Job.objects.filter(name__startswith="jobs.test").exists()


def effects() -> int:
    return Job.objects.filter(name="jobs.test.effect").count()


def test_an_unknown_job_is_refused_where_it_is_asked_for():
    with pytest.raises(UnknownJob):
        job_enqueue(name="jobs.test.nobody-registered-this")
    assert not jobs_of_these_tests()


def test_a_name_cannot_be_registered_for_two_functions():
    with pytest.raises(ValueError, match="twice"):
        job("jobs.test.record")(lambda: None)
    assert REGISTRY["jobs.test.record"] is record


def test_nothing_runs_when_the_change_is_rolled_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        job_enqueue(name="jobs.test.record", arguments={"n": 1})
        raise RuntimeError("the change failed")
    assert callbacks == [] and CALLS == [] and not jobs_of_these_tests()


def test_without_a_broker_the_job_runs_here_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = job_enqueue(name="jobs.test.record", arguments={"n": 2})
    assert CALLS == []  # not before the commit
    for callback in callbacks:
        callback()
    assert CALLS == [{"n": 2}]
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == (JobState.DONE, 1)


def test_a_job_runs_once_however_often_it_is_handed_over():
    queued = job_enqueue(name="jobs.test.record", arguments={"n": 3})
    outcomes = [job_run(job_id=queued.pk).state for _ in range(3)]
    assert outcomes == ["done", "done", "done"]
    assert CALLS == [{"n": 3}] and effects() == 1


def test_a_failure_is_retried_with_backoff_and_leaves_no_effect():
    FAILURES["left"] = 2
    queued = job_enqueue(name="jobs.test.record", arguments={"n": 4})
    first = job_run(job_id=queued.pk)
    assert first.state == "retry" and first.retry_in == backoff.FIRST_RETRY
    queued.refresh_from_db()
    assert queued.state == JobState.PENDING and queued.last_error == "ConnectionRefusedError"
    assert queued.run_after > timezone.now() and effects() == 0
    # Not due yet: the relay leaves it.
    assert jobs_relay(now=timezone.now()) == 0
    second = job_run(job_id=queued.pk)
    assert second.retry_in == backoff.FIRST_RETRY * 2
    assert jobs_relay(now=timezone.now() + timedelta(hours=2)) == 1
    queued.refresh_from_db()
    assert (queued.state, queued.attempts, effects()) == (JobState.DONE, 3, 1)


def test_a_job_that_always_fails_is_given_up_after_the_last_attempt():
    FAILURES["left"] = backoff.MAX_ATTEMPTS + 5
    queued = job_enqueue(name="jobs.test.record")
    states = [job_run(job_id=queued.pk).state for _ in range(backoff.MAX_ATTEMPTS + 2)]
    assert states.count("retry") == backoff.MAX_ATTEMPTS - 1
    assert states[backoff.MAX_ATTEMPTS - 1 :] == ["failed", "failed", "failed"]
    assert CALLS == []


def test_a_missing_job_is_no_error():
    assert job_run(job_id="00000000-0000-0000-0000-000000000000").state == "missing"


def test_done_jobs_are_forgotten_after_a_week_and_waiting_ones_never():
    now = timezone.now()
    Job.objects.create(name="x", state=JobState.DONE, done_at=now - timedelta(days=8))
    Job.objects.create(name="x", state=JobState.DONE, done_at=now - timedelta(days=6))
    Job.objects.create(name="x", state=JobState.PENDING, created_at=now - timedelta(days=30))
    assert jobs_cleanup(now=now) == 1
    assert sorted(Job.objects.filter(name="x").values_list("state", flat=True)) == [
        "done",
        "pending",
    ]


@pytest.mark.parametrize(
    ("attempts", "seconds"),
    [(1, 30), (2, 60), (3, 120), (4, 240), (7, 1920), (8, 3600), (29, 3600), (10_000, 3600)],
)
def test_backoff_doubles_from_thirty_seconds_to_an_hour(attempts, seconds):
    assert backoff.retry_delay(attempts) == timedelta(seconds=seconds)


def test_backoff_needs_a_failed_attempt():
    with pytest.raises(ValueError):
        backoff.retry_delay(0)


def test_without_a_broker_a_job_tried_by_an_earlier_commit_waits_for_its_backoff(
    django_capture_on_commit_callbacks,
):
    """Two commits' jobs: the first commit's run of the due jobs tries both; the second job's
    own callback then finds it waiting for its retry and leaves it (one attempt, not two)."""
    FAILURES["left"] = 2
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = job_enqueue(name="jobs.test.record", arguments={"n": 5})
        second = job_enqueue(name="jobs.test.record", arguments={"n": 6})
    for callback in callbacks:
        callback()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attempts, second.attempts) == (1, 1)
    assert first.state == second.state == JobState.PENDING and CALLS == []
