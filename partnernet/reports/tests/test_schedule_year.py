"""A whole project year of time travel: every report reminder is sent exactly once per due
date, a report created already overdue gets its after-due reminders, a moved due date moves
its pending reminders, and a job that runs only every third day catches up."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.utils import timezone

from partnernet.accounts.models import User
from partnernet.grants.models import Agreement, Application, Call, Component
from partnernet.notifications.models import Notification
from partnernet.partnerships.models import Partnership
from partnernet.reports.models import Report, ReportReminder
from partnernet.reports.services.reminders import reminders_send
from partnernet.reports.services.schedule import (
    report_create,
    report_due_change,
    report_schedule_sync,
)
from partnernet.reports.tests.clean import reports_cleared

pytestmark = pytest.mark.usefixtures("without_demo_reminders")

OWN = "falun-kolomyia"
START = dt.date(2026, 3, 1)
END = dt.date(2027, 6, 30)
MILESTONE_ON = dt.date(2026, 6, 1)  # created with a due date a month gone
MOVE_ON = dt.date(2027, 2, 20)  # the 2026 annual report's due date moves a month later


def agreement_of(own: Partnership) -> Agreement:
    application = Application.objects.filter(partnership=own).order_by("pk").first()
    assert application is not None
    # A project grant (annual reports; an inception grant owes the final report only).
    Call.objects.filter(pk=application.call_id).update(component=Component.PROJECT)
    reports_cleared(application.partnership)
    Agreement.objects.filter(application=application).delete()
    return Agreement.objects.create(
        application=application, starts_on=START, ends_on=dt.date(2027, 2, 28)
    )


def run_year(step: int, capture) -> tuple[Counter, dict[int, int], dict[str, Report]]:
    own = Partnership.objects.get(slug=OWN)
    officer = User.objects.get(email="officer@icld.example")
    sends: Counter = Counter()  # (report, offset, due date) → times sent
    messages: dict[int, int] = Counter()  # report → reports reminded in a run
    reports: dict[str, Report] = {}
    day = START
    with time_machine.travel(dt.datetime(2026, 3, 1, 7, tzinfo=dt.UTC), tick=False) as trip:
        with capture(execute=True):
            report_schedule_sync(agreement=agreement_of(own))
        for report in Report.objects.filter(partnership=own, agreement__starts_on=START):
            key = f"{report.kind}-{report.accounting_year or ''}"
            reports[key] = report
        index = 0
        while day <= END:
            assert timezone.localdate() == day
            before = Notification.objects.count()
            with capture(execute=True):
                if day == MILESTONE_ON:
                    reports["milestone"] = report_create(
                        partnership=own,
                        actor=officer,
                        kind="milestone",
                        title="Mid-term milestone",
                        period_start=START,
                        period_end=dt.date(2026, 4, 30),
                        due_on=dt.date(2026, 5, 1),
                    )
                if day == MOVE_ON:
                    report_due_change(
                        report_id=reports["annual-2026"].pk,
                        actor=officer,
                        due_on=dt.date(2027, 3, 31),
                        reason="The municipal council meets in March.",
                    )
                if index % step == 0:
                    pending = set(
                        ReportReminder.objects.filter(sent_at__isnull=True).values_list(
                            "pk", flat=True
                        )
                    )
                    reminders_send()
                    for row in ReportReminder.objects.filter(pk__in=pending, sent_at__isnull=False):
                        sends[(row.report_id, row.offset_days, row.due_on)] += 1
                        assert row.send_on <= day
            for note in Notification.objects.order_by("pk")[before:]:
                messages[int(note.link.rsplit("#report-", 1)[1])] += 1
            trip.shift(dt.timedelta(days=1))
            day += dt.timedelta(days=1)
            index += 1
    return sends, messages, reports


def expected(reports: dict[str, Report]) -> set[tuple[int, int, dt.date]]:
    d = dt.date
    annual_2026, annual_2027 = reports["annual-2026"].pk, reports["annual-2027"].pk
    final, milestone = reports["final-"].pk, reports["milestone"].pk
    want = {(annual_2026, -14, d(2027, 2, 28))}  # sent before the due date moved
    # then all four for the new date (its -14 on 17 March is ahead when it moves)
    want |= {(annual_2026, offset, d(2027, 3, 31)) for offset in (-14, -3, 1, 7)}
    for report in (annual_2027, final):
        want |= {(report, offset, d(2027, 4, 28)) for offset in (-14, -3, 1, 7)}
    want |= {(milestone, 1, d(2026, 5, 1)), (milestone, 7, d(2026, 5, 1))}
    return want


@pytest.mark.django_db
def test_the_schedule_follows_the_agreement_in_accounting_years():
    own = Partnership.objects.get(slug=OWN)
    with time_machine.travel(dt.datetime(2026, 3, 1, 7, tzinfo=dt.UTC), tick=False):
        report_schedule_sync(agreement=agreement_of(own))
        again = report_schedule_sync(agreement=Agreement.objects.get(starts_on=START))
    assert again == []  # idempotent
    rows = Report.objects.filter(partnership=own, agreement__starts_on=START).order_by(
        "due_on", "kind"
    )
    assert [(r.kind, r.accounting_year, r.period_start, r.period_end, r.due_on) for r in rows] == [
        ("annual", 2026, START, dt.date(2026, 12, 31), dt.date(2027, 2, 28)),
        ("annual", 2027, dt.date(2027, 1, 1), dt.date(2027, 2, 28), dt.date(2027, 4, 28)),
        ("final", None, START, dt.date(2027, 2, 28), dt.date(2027, 4, 28)),
    ]
    # The agreement's own deadlines come from the same rule: no second copy to disagree.
    from partnernet.grants.services.agreements import agreement_reporting_schedule

    agreement = Agreement.objects.get(starts_on=START)
    assert sorted((d.kind, d.due_on) for d in agreement_reporting_schedule(agreement)) == sorted(
        (r.kind, r.due_on) for r in rows
    )


@pytest.mark.django_db
@pytest.mark.parametrize("step", [1, 3], ids=["daily", "every third day"])
def test_a_year_of_reminders_each_sent_exactly_once(step, django_capture_on_commit_callbacks):
    sends, messages, reports = run_year(step, django_capture_on_commit_callbacks)
    want = expected(reports)
    assert set(sends) == want
    assert all(count == 1 for count in sends.values()), sends
    # The before-due reminders of the milestone fell before it existed: never sent.
    milestone = reports["milestone"]
    assert not ReportReminder.objects.filter(
        report=milestone, offset_days__lt=0, sent_at__isnull=False
    ).exists()
    # Both sides' coordinators were told: one message per report and run, two people each.
    by_report = Counter({k: v // 2 for k, v in messages.items()})
    if step == 1:
        assert by_report == {
            reports["annual-2026"].pk: 5,  # -14 for the old date, then four for the new
            reports["annual-2027"].pk: 4,
            reports["final-"].pk: 4,
            milestone.pk: 1,  # +1 and +7 were both due when it was created: one message
        }
    else:
        for report, count in by_report.items():
            assert 1 <= count <= sum(1 for s in want if s[0] == report)
    assert all(v % 2 == 0 for v in messages.values())
    # A further run the same day sends nothing.
    assert reminders_send(today=END) == 0
