"""Reminders stop while a report is with the officer and resume (after-due) when it is
returned; the schedule is made when both partners accept the agreement (grants' signal) and
by the daily job; the offsets come from settings."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from partnernet.grants.models import Agreement, Application, Call, Component
from partnernet.grants.signals import agreement_accepted
from partnernet.partnerships.models import Partnership
from partnernet.reports.models import Report, ReportReminder
from partnernet.reports.services.reminders import reminders_send
from partnernet.reports.services.schedule import report_schedule_sync
from partnernet.reports.tests.clean import reports_cleared

pytestmark = pytest.mark.usefixtures("without_demo_reminders")

OWN = "falun-kolomyia"


def _agreement() -> Agreement:
    own = Partnership.objects.get(slug=OWN)
    application = Application.objects.filter(partnership=own).order_by("pk").first()
    Call.objects.filter(pk=application.call_id).update(component=Component.PROJECT)
    reports_cleared(application.partnership)
    Agreement.objects.filter(application=application).delete()
    return Agreement.objects.create(
        application=application, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31)
    )


def _sent(report: Report) -> list[int]:
    return sorted(
        ReportReminder.objects.filter(report=report, sent_at__isnull=False).values_list(
            "offset_days", flat=True
        )
    )


@pytest.mark.django_db
def test_reminders_stop_when_submitted_and_resume_after_due_when_returned(
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(dt.datetime(2026, 1, 2, 7, tzinfo=dt.UTC), tick=False) as trip:
        report_schedule_sync(agreement=_agreement())
        report = Report.objects.get(kind="annual", accounting_year=2026, agreement__pk__gt=0)
        assert report.due_on == dt.date(2027, 2, 28)
        trip.move_to(dt.datetime(2027, 2, 14, 7, tzinfo=dt.UTC))
        assert reminders_send() >= 1 and _sent(report) == [-14]
        report.submit()
        report.save()
        trip.move_to(dt.datetime(2027, 3, 2, 7, tzinfo=dt.UTC))  # -3 and +1 fall meanwhile
        reminders_send()
        assert _sent(report) == [-14]  # stopped while with the officer
        report.return_for_changes()
        report.save()
        with django_capture_on_commit_callbacks(execute=True):
            assert reminders_send() == 1
        # The +1 catches up; the -3 fell while the officer had it and would be false now.
        assert _sent(report) == [-14, 1]
        trip.move_to(dt.datetime(2027, 3, 7, 7, tzinfo=dt.UTC))
        reminders_send()
        assert _sent(report) == [-14, 1, 7]
        assert reminders_send() == 0


@pytest.mark.django_db
def test_both_acceptances_schedule_the_reports_and_the_daily_job_catches_up():
    agreement = _agreement()
    agreement_accepted.send(sender=Agreement, agreement_id=agreement.pk, actor_id=None)
    kinds = sorted(Report.objects.filter(agreement=agreement).values_list("kind", flat=True))
    assert kinds == ["annual", "final"]
    Report.objects.filter(agreement=agreement, kind="final").delete()
    Application.objects.filter(pk=agreement.application_id).update(state="active")
    call_command("send_report_reminders")
    assert Report.objects.filter(agreement=agreement, kind="final").count() == 1
    call_command("send_report_reminders")  # nothing twice
    assert Report.objects.filter(agreement=agreement).count() == 2


@pytest.mark.django_db
def test_the_offsets_come_from_settings(settings):
    settings.REPORT_REMINDER_DAYS = [-5, 2]
    with time_machine.travel(dt.datetime(2026, 1, 2, 7, tzinfo=dt.UTC), tick=False):
        report_schedule_sync(agreement=_agreement())
    offsets = set(ReportReminder.objects.values_list("offset_days", flat=True))
    assert offsets == {-5, 2}


@pytest.mark.django_db
def test_a_reminder_reaches_both_sides_in_their_language_with_a_link(
    django_capture_on_commit_callbacks, mailoutbox
):
    from partnernet.accounts.models import User

    User.objects.filter(email="kolomyia@demo.example").update(preferred_language="uk")
    User.objects.filter(email="falun@demo.example").update(preferred_language="sv")
    with time_machine.travel(dt.datetime(2026, 1, 2, 7, tzinfo=dt.UTC), tick=False) as trip:
        report_schedule_sync(agreement=_agreement())
        report = Report.objects.get(kind="annual", accounting_year=2026, agreement__pk__gt=0)
        trip.move_to(dt.datetime(2027, 3, 7, 7, tzinfo=dt.UTC))  # +7: overdue by 7 days
        with django_capture_on_commit_callbacks(execute=True):
            reminders_send()
    anchor = f"#report-{report.pk}"
    by_address = {m.to[0]: m for m in mailoutbox if anchor in m.body}
    uk = by_address["kolomyia@demo.example"]
    sv = by_address["falun@demo.example"]
    assert "Звіт до" in uk.subject and "прострочено" in uk.body
    assert "Rapport senast" in sv.subject and "försenad" in sv.body
    assert f"/uk/partnerships/{OWN}/work/reports/#report-{report.pk}" in uk.body
    assert f"/sv/partnerships/{OWN}/work/reports/#report-{report.pk}" in sv.body
    assert "7" in sv.body  # days late, counted on the day it is sent
    # One message per person and report (the annual and the final report are both due on 28
    # February 2027), however many of its reminders are due in the run: all four here.
    assert len(mailoutbox) == 4
    assert _sent(report) == [-14, -3, 1, 7]
