"""Concurrent decisions on one report (PostgreSQL: threads with their own connections)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from partnernet.accounts.models import User
from partnernet.audit.models import AuditEntry
from partnernet.reports.models import Report, ReportSection, ReportState, ReviewComment
from partnernet.reports.services.submission import report_review, report_submit

from .writing_fixtures import fill, report_of

pytestmark = [
    pytest.mark.skipif(
        not settings.IS_POSTGRES,
        reason="row locks need PostgreSQL; SQLite serialises whole transactions",
    ),
]


@pytest.fixture(autouse=True)
def _committed(transactional_db):
    """Threads need committed rows: these tests run outside a test transaction."""


def run_together(*jobs) -> list:
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            outcomes[index] = job()
        except Exception as error:  # noqa: BLE001  (the outcome is what the test inspects)
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def submitted_report() -> Report:
    report = report_of("falun-kolomyia")
    fill(report, {key: "Klart" for key in ReportSection.Key.values})
    return report_submit(report_id=report.pk, actor=User.objects.get(email="falun@demo.example"))


def test_two_officers_deciding_at_once_give_one_decision():
    report = submitted_report()
    officer = User.objects.get(email="officer@icld.example")
    outcomes = run_together(
        lambda: report_review(report_id=report.pk, actor=officer, approve=True, comments={}),
        lambda: report_review(
            report_id=report.pk, actor=officer, approve=False, comments={"summary": "Mer"}
        ),
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), outcomes
    report.refresh_from_db()
    decisions = AuditEntry.objects.filter(
        object_id=str(report.pk), action__in=["approve", "return_for_changes"]
    )
    assert decisions.count() == 1
    assert report.state == (
        ReportState.APPROVED if decisions.get().action == "approve" else ReportState.RETURNED
    )
    # The losing decision left no comment behind.
    assert ReviewComment.objects.filter(report=report).count() == (
        0 if report.state == ReportState.APPROVED else 1
    )


def test_a_submit_racing_a_return_gives_one_outcome():
    report = submitted_report()
    officer = User.objects.get(email="officer@icld.example")
    kolomyia = User.objects.get(email="kolomyia@demo.example")
    outcomes = run_together(
        lambda: report_review(
            report_id=report.pk, actor=officer, approve=False, comments={"results": "Mer"}
        ),
        lambda: report_submit(report_id=report.pk, actor=kolomyia),
    )
    report.refresh_from_db()
    returned, resubmitted = outcomes
    assert not isinstance(returned, Exception), outcomes
    submits = AuditEntry.objects.filter(object_id=str(report.pk), action="submit").count()
    if isinstance(resubmitted, Exception):  # the submit came first: refused, still submitted
        assert isinstance(resubmitted, ValidationError)
        assert report.state == ReportState.RETURNED and submits == 1
    else:  # the return came first: the corrected report was submitted after it
        assert report.state == ReportState.SUBMITTED and submits == 2
