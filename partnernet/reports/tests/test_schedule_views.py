"""The schedule's pages: who may add reports and move due dates, refusals of bad dates with
the input kept, the list's fixed query count, the workspace panel and the start page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.audit.models import AuditEntry
from partnernet.core.start import start_page_for
from partnernet.grants.models import (
    Agreement,
    Application,
    Call,
    Component,
    ReportingDeadline,
    State,
)
from partnernet.grants.services.agreements import agreement_reporting_schedule
from partnernet.partnerships.models import Partnership
from partnernet.reports.models import Report, ReportReminder
from partnernet.reports.selectors import waiting_for
from partnernet.reports.services.reminders import reminders_send
from partnernet.reports.services.schedule import report_schedule_sync
from partnernet.reports.tests.clean import reports_cleared

pytestmark = pytest.mark.usefixtures("without_demo_reminders")

OWN = "falun-kolomyia"


def client_of(email: str) -> Client:
    return sign_in(Client(), User.objects.get(email=email))


def url(name: str, **kwargs) -> str:
    with translation.override("sv"):
        return reverse(f"reports:{name}", kwargs={"slug": OWN, **kwargs})


@pytest.fixture
def scheduled(db) -> list[Report]:
    own = Partnership.objects.get(slug=OWN)
    application = Application.objects.filter(partnership=own).order_by("pk").first()
    Call.objects.filter(pk=application.call_id).update(component=Component.PROJECT)
    reports_cleared(application.partnership)
    Agreement.objects.filter(application=application).delete()
    agreement = Agreement.objects.create(
        application=application, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2027, 12, 31)
    )
    ReportingDeadline.objects.bulk_create(
        ReportingDeadline(agreement=agreement, kind=due.kind, due_on=due.due_on)
        for due in agreement_reporting_schedule(agreement)
    )
    report_schedule_sync(agreement=agreement)
    return list(Report.objects.filter(agreement=agreement).order_by("due_on", "pk"))


VALID = {
    "kind": "milestone",
    "title": "Council decision",
    "period_start": "2026-01-01",
    "period_end": "2026-06-30",
    "due_on": "2026-08-31",
}


@pytest.mark.parametrize(
    "email,status",
    [
        ("falun@demo.example", 403),
        ("member@demo.example", 403),
        ("finance@icld.example", 403),
        ("umea@demo.example", 403),
        ("reviewer@icld.example", 403),
    ],
)
def test_only_officers_add_reports(db, email, status):
    response = client_of(email).post(url("create"), VALID)
    assert response.status_code == status
    assert not Report.objects.filter(title="Council decision").exists()


def test_an_officer_adds_an_overdue_milestone_with_its_after_due_reminders(db):
    response = client_of("officer@icld.example").post(
        url("create"), VALID | {"due_on": "2020-01-01"}
    )
    assert response.status_code == 302
    report = Report.objects.get(title="Council decision")
    assert response["Location"].endswith(f"#report-{report.pk}")
    assert reminders_send() == 1
    sent = ReportReminder.objects.filter(report=report, sent_at__isnull=False)
    assert sorted(sent.values_list("offset_days", flat=True)) == [1, 7]  # in one message
    # The before-due ones fell before it existed: never sent, whenever the job runs.
    assert reminders_send() == 0


@pytest.mark.parametrize(
    "field,value,words",
    [
        ("due_on", "0001-01-01", "Ange ett datum mellan"),
        ("due_on", "9999-12-31", "Ange ett datum mellan"),
        ("period_end", "2025-12-01", "Perioden kan inte sluta innan den börjar."),
        ("period_start", "next tuesday", "Fyll i ett giltigt datum."),
    ],
)
def test_bad_dates_are_refused_with_the_input_kept(db, field, value, words):
    response = client_of("officer@icld.example").post(url("create"), VALID | {field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html
    assert 'value="Council decision"' in html
    assert value in html
    assert not Report.objects.filter(title="Council decision").exists()


@pytest.mark.parametrize(
    "email,status",
    [("falun@demo.example", 403), ("finance@icld.example", 403), ("umea@demo.example", 403)],
)
def test_only_officers_move_due_dates(scheduled, email, status):
    report = scheduled[0]
    response = client_of(email).post(
        url("due", pk=report.pk), {"due_on": "2030-01-01", "reason": "x"}
    )
    assert response.status_code == status
    report.refresh_from_db()
    assert report.due_on != dt.date(2030, 1, 1)


def test_an_officer_moves_a_due_date_with_a_reason_audited(scheduled):
    report = scheduled[0]
    officer = client_of("officer@icld.example")
    refused = officer.post(url("due", pk=report.pk), {"due_on": "1-01-01", "reason": ""})
    assert refused.status_code == 400
    response = officer.post(
        url("due", pk=report.pk), {"due_on": "2030-01-31", "reason": "The council meets late."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.due_on == dt.date(2030, 1, 31)
    entry = AuditEntry.objects.filter(action="change_due_date").latest("pk")
    assert entry.reason == "The council meets late."
    assert set(ReportReminder.objects.filter(report=report).values_list("due_on", flat=True)) == {
        dt.date(2030, 1, 31)
    }


def test_the_list_shows_the_schedule_in_a_fixed_number_of_queries(
    scheduled, django_assert_num_queries
):
    client = client_of("falun@demo.example")
    client.get(url("list"))
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url("list"))
    assert response.status_code == 200
    html = response.content.decode()
    for report in scheduled:
        assert f'id="report-{report.pk}"' in html
    assert "försenad" in html or "dagar" in html  # the 2025 annual report is overdue
    Report.objects.create(
        partnership=scheduled[0].partnership,
        kind="adhoc",
        component="project",
        title="Another",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 2, 1),
        due_on=dt.date(2026, 3, 1),
    )
    with django_assert_num_queries(LIST_QUERIES):
        client.get(url("list"))


LIST_QUERIES = 6


def test_start_page_items_for_each_role(scheduled):
    falun = User.objects.get(email="falun@demo.example")
    items = waiting_for(user=falun)
    assert any(i.kind == "report-write" for i in items)
    officer = User.objects.get(email="officer@icld.example")
    report = scheduled[0]
    report.submit()
    report.save()
    mine = lambda items: [i.kind for i in items if i.params.get("report") == report]  # noqa: E731
    assert mine(waiting_for(user=officer)) == ["report-review"]
    report.approve()
    report.save()
    finance = User.objects.get(email="finance@icld.example")
    assert mine(waiting_for(user=finance)) == ["report-reimburse"]


def test_the_start_page_lists_a_scheduled_report_once(scheduled):
    """The agreement's deadline (grants) gives way to the scheduled report (reports): a
    coordinator is not asked twice for the same report."""
    falun = User.objects.get(email="falun@demo.example")
    Application.objects.filter(pk=scheduled[0].agreement.application_id).update(state=State.ACTIVE)
    report = next(r for r in scheduled if r.due_on == dt.date(2027, 2, 28))
    with time_machine.travel(dt.datetime(2027, 1, 15, 9, tzinfo=dt.UTC), tick=False):
        waiting = start_page_for(user=falun).waiting
        assert [w for w in waiting if w.params.get("report") == report]
        assert "report" not in [w.kind for w in waiting]
        Report.objects.filter(agreement=scheduled[0].agreement).delete()  # before any schedule
        assert "report" in [w.kind for w in start_page_for(user=falun).waiting]
