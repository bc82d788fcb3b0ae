"""Reads of the report schedule: a partnership's reports with their due state (the list page,
the workspace panel) and what waits for a person (the start page). Fixed query counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from partnernet.accounts.models import User
from partnernet.accounts.permissions import Perm, reach
from partnernet.lib.waiting import Waiting
from partnernet.partnerships.models import Partnership

from .models import WRITABLE_REPORT_STATES, Report, ReportState

# How far ahead the start page shows a report to write.
WRITE_AHEAD = timedelta(days=60)
WAITING_LIMIT = 50


@dataclass(frozen=True)
class ScheduledReport:
    report: Report
    overdue: bool
    days: int  # from the due date: negative before, positive after


@dataclass(frozen=True)
class Schedule:
    rows: list[ScheduledReport]
    next_due: ScheduledReport | None
    overdue: list[ScheduledReport]


def schedule_of(partnership: Partnership, *, today: date | None = None) -> Schedule:
    """The partnership's reports by due date, each marked overdue when it is still being
    written after its due date (one query)."""
    today = today or timezone.localdate()
    rows = [
        ScheduledReport(
            report=r,
            overdue=r.state in WRITABLE_REPORT_STATES and r.due_on < today,
            days=(today - r.due_on).days,
        )
        for r in Report.objects.filter(partnership=partnership).order_by("due_on", "pk")
    ]
    pending = [r for r in rows if r.report.state in WRITABLE_REPORT_STATES]
    upcoming = [r for r in pending if not r.overdue]
    return Schedule(
        rows=rows,
        next_due=upcoming[0] if upcoming else None,
        overdue=[r for r in pending if r.overdue],
    )


def _report_url(report: Report) -> str:
    return reverse("reports:detail", kwargs={"slug": report.partnership.slug, "pk": report.pk})


def waiting_for(*, user: User, today: date | None = None) -> list[Waiting]:
    """Reports waiting for the person: coordinators, the reports of their partnerships to write
    (due within two months or overdue) and those returned; programme officers, submitted
    reports to review; finance officers, approved reports to reimburse. At most one query each."""
    today = today or timezone.localdate()
    items: list[Waiting] = []
    mine = reach(user, Perm.REPORT_SUBMIT)
    if mine.partnerships or mine.whole_municipalities:
        whole = mine.whole_municipalities
        reports = (
            Report.objects.filter(
                Q(partnership_id__in=mine.partnerships)
                | Q(partnership__swedish_partner_id__in=whole)
                | Q(partnership__partner_id__in=whole),
                Q(state=ReportState.RETURNED)
                | Q(state=ReportState.DRAFT, due_on__lte=today + WRITE_AHEAD),
            )
            .select_related("partnership")
            .order_by("due_on", "pk")[:WAITING_LIMIT]
        )
        for r in reports:
            if r.state == ReportState.RETURNED:
                items.append(
                    Waiting(
                        what=gettext_noop("Correct the returned report “%(report)s”, due %(date)s"),
                        params={"report": r, "date": r.due_on.isoformat()},
                        url=_report_url(r),
                        since=r.decided_at,
                        kind="report-returned",
                    )
                )
            else:
                what = (
                    gettext_noop("The report “%(report)s” is overdue since %(date)s")
                    if r.due_on < today
                    else gettext_noop("Write the report “%(report)s”, due %(date)s")
                )
                items.append(
                    Waiting(
                        what=what,
                        params={"report": r, "date": r.due_on.isoformat()},
                        url=_report_url(r),
                        since=r.due_on,
                        kind="report-write",
                    )
                )
    if reach(user, Perm.REPORT_REVIEW).everywhere:
        submitted = (
            Report.objects.filter(state=ReportState.SUBMITTED)
            .select_related("partnership")
            .order_by("submitted_at", "pk")[:WAITING_LIMIT]
        )
        items += [
            Waiting(
                what=gettext_noop("Review the report “%(report)s” of %(partnership)s"),
                params={"report": r, "partnership": r.partnership.title},
                url=_report_url(r),
                since=r.submitted_at,
                kind="report-review",
            )
            for r in submitted
        ]
    if reach(user, Perm.REIMBURSEMENT_RECORD).everywhere:
        approved = (
            Report.objects.filter(state=ReportState.APPROVED, reimbursement__isnull=True)
            .exclude(decided_by=user)  # four eyes: not for the officer who approved it
            .select_related("partnership")
            .order_by("decided_at", "pk")[:WAITING_LIMIT]
        )
        items += [
            Waiting(
                what=gettext_noop("Record the reimbursement of “%(report)s” of %(partnership)s"),
                params={"report": r, "partnership": r.partnership.title},
                url=_report_url(r),
                since=r.decided_at,
                kind="report-reimburse",
            )
            for r in approved
        ]
    return items
