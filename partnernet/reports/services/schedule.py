"""Writes of the report schedule: the reports an agreement owes (`report_schedule_sync`), the
milestone and ad-hoc reports an officer adds (`report_create`) and the due dates an officer
moves (`report_due_change`). The due-date rule has one owner, `grants.reporting`, which also
writes the agreement's `ReportingDeadline`s."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.accounts.models import User
from partnernet.audit.services import audit_record
from partnernet.grants.models import Agreement, Component, ReportingDeadline, State
from partnernet.grants.reporting import ANNUAL
from partnernet.grants.services.agreements import agreement_reporting_schedule
from partnernet.partnerships.models import Partnership

from ..models import WRITABLE_REPORT_STATES, Report, ReportKind
from .reminders import reminders_compute

# Dates an officer may give (a report of the programme's lifetime, not a typing slip).
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
OFFICER_KINDS = (ReportKind.MILESTONE, ReportKind.ADHOC)


def report_schedule_sync(*, agreement: Agreement, today: date | None = None) -> list[Report]:
    """Create the reports `agreement` owes and lacks (an annual report per accounting year, a
    final report; `grants.reporting`), and recompute the reminders of its reports. Idempotent:
    an existing report is never replaced, moved back or deleted (an officer's new due date
    stays), so a report with content is never lost. Returns the reports created."""
    created: list[Report] = []
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("application__call", "application__partnership")
            .get(pk=agreement.pk)
        )
        application = agreement.application
        partnership = application.partnership
        if partnership is None:
            return []
        component = application.call.component
        have = {
            (r.kind, r.accounting_year)
            for r in Report.objects.filter(
                agreement=agreement, kind__in=[ReportKind.ANNUAL, ReportKind.FINAL]
            )
        }
        for due in agreement_reporting_schedule(agreement):
            year = due.accounting_year if due.kind == ANNUAL else None
            if (due.kind, year) in have:
                continue
            report = Report.objects.create(
                partnership=partnership,
                agreement=agreement,
                kind=due.kind,
                component=component,
                accounting_year=year,
                period_start=due.period_start,
                period_end=due.period_end,
                due_on=due.due_on,
            )
            audit_record(actor=None, action="schedule", obj=report, after=_snapshot(report))
            created.append(report)
        for report in Report.objects.filter(agreement=agreement, state__in=WRITABLE_REPORT_STATES):
            reminders_compute(report=report, today=today)
    return created


def report_schedule_catch_up(*, today: date | None = None) -> int:
    """The daily catch-up: every active agreement's schedule is complete. Returns how many
    reports were created."""
    agreements = Agreement.objects.filter(
        application__state=State.ACTIVE, application__partnership__isnull=False
    ).order_by("pk")
    return sum(len(report_schedule_sync(agreement=a, today=today)) for a in agreements)


def _check_dates(*, period_start: date, period_end: date, due_on: date) -> None:
    errors: dict[str, str] = {}
    for field, value in (
        ("period_start", period_start),
        ("period_end", period_end),
        ("due_on", due_on),
    ):
        if not EARLIEST <= value <= LATEST:
            errors[field] = _("Give a date between %(first)s and %(last)s.") % {
                "first": EARLIEST.isoformat(),
                "last": LATEST.isoformat(),
            }
    if "period_end" not in errors and "period_start" not in errors and period_end < period_start:
        errors["period_end"] = _("The period cannot end before it starts.")
    if errors:
        raise ValidationError(errors)


def report_create(
    *,
    partnership: Partnership,
    actor: User,
    kind: str,
    title: str,
    period_start: date,
    period_end: date,
    due_on: date,
    today: date | None = None,
) -> Report:
    """An officer adds a milestone or ad-hoc report with any date; its reminders are planned
    at once (one created already overdue gets its after-due reminders)."""
    if kind not in OFFICER_KINDS:
        raise ValidationError({"kind": _("Choose a milestone or an ad-hoc report.")})
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the report a title.")})
    _check_dates(period_start=period_start, period_end=period_end, due_on=due_on)
    with transaction.atomic():
        agreement = (
            Agreement.objects.filter(application__partnership=partnership)
            .select_related("application__call")
            .order_by("-starts_on", "-pk")
            .first()
        )
        component = agreement.application.call.component if agreement else _component(partnership)
        report = Report.objects.create(
            partnership=partnership,
            agreement=agreement,
            kind=kind,
            component=component,
            title=title,
            period_start=period_start,
            period_end=period_end,
            due_on=due_on,
            created_by=actor,
        )
        audit_record(actor=actor, action="create", obj=report, after=_snapshot(report))
        reminders_compute(report=report, today=today)
    return report


def _component(partnership: Partnership) -> str:
    return Component.INCEPTION if partnership.phase == "inception" else Component.PROJECT


def report_due_change(
    *, report_id: int, actor: User, due_on: date, reason: str, today: date | None = None
) -> Report:
    """An officer moves a report's due date, giving the reason (audited); its pending
    reminders move with it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the due date changes.")})
    if not EARLIEST <= due_on <= LATEST:
        raise ValidationError(
            {
                "due_on": _("Give a date between %(first)s and %(last)s.")
                % {"first": EARLIEST.isoformat(), "last": LATEST.isoformat()}
            }
        )
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.due_on == due_on:
            return report
        before_date = report.due_on
        before = {"due_on": before_date.isoformat()}
        report.due_on = due_on
        report.save(update_fields=["due_on"])
        if report.agreement_id and report.kind in (ReportKind.ANNUAL, ReportKind.FINAL):
            # The agreement's deadline follows, so no page shows the old date.
            ReportingDeadline.objects.filter(
                agreement_id=report.agreement_id, kind=report.kind, due_on=before_date
            ).update(due_on=due_on)
        audit_record(
            actor=actor,
            action="change_due_date",
            obj=report,
            before=before,
            after={"due_on": due_on.isoformat()},
            reason=reason,
        )
        reminders_compute(report=report, today=today or timezone.localdate())
    return report


def _snapshot(report: Report) -> dict:
    return {
        "kind": report.kind,
        "accounting_year": report.accounting_year,
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "due_on": report.due_on.isoformat(),
    }
