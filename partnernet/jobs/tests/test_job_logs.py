"""A failing job's log lines and its recorded error name the job, its id, the attempt and the
exception's class and place: never the exception's message, which may carry personal data."""

import logging

import pytest

from partnernet.jobs.models import Job
from partnernet.jobs.registry import job
from partnernet.jobs.services import failure_place, job_enqueue, job_run

pytestmark = pytest.mark.django_db

ADDRESS = "anna.svensson@example.se"


class RecipientRefused(Exception):
    pass


@job("jobs.test.refused")
def refused(person_id: int) -> None:
    raise RecipientRefused(f"550 mailbox unavailable: {ADDRESS} (Anna Svensson)")


def test_a_failure_is_logged_and_recorded_without_the_exception_message(caplog):
    queued = job_enqueue(name="jobs.test.refused", arguments={"person_id": 7})
    with caplog.at_level(logging.DEBUG):
        assert job_run(job_id=queued.pk).state == "retry"
    text = caplog.text + "".join(str(r.exc_info) for r in caplog.records)
    assert ADDRESS not in text and "Svensson" not in text
    assert all(record.exc_info is None for record in caplog.records)
    queued.refresh_from_db()
    assert queued.last_error == "RecipientRefused"
    assert "jobs.test.refused" in caplog.text and str(queued.pk) in caplog.text
    assert "test_job_logs.py" in caplog.text  # where it failed, to find the fault
    assert Job.objects.get(pk=queued.pk).arguments == {"person_id": 7}


def test_the_place_of_a_failure_is_file_line_and_function():
    try:
        refused(person_id=1)
    except RecipientRefused as error:
        place = failure_place(error)
    assert place.startswith("test_job_logs.py:") and place.endswith(" in refused")
    assert failure_place(ValueError("never raised")) == "?"
