"""Writes of report reminders: plan them (`reminders_compute`) and send those due
(`reminders_send`, the daily job). The rules are the pure `reports.reminders`."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_noop

from partnernet.notifications.rendering import Message
from partnernet.notifications.services import notify
from partnernet.partnerships.selectors import coordinators_of

from ..models import WRITABLE_REPORT_STATES, Report, ReportReminder, ReportState
from ..reminders import Reminder, days_from_due, reminders_due, reminders_plan


def reminder_offsets() -> list[int]:
    return list(settings.REPORT_REMINDER_DAYS)


def writable_since(report: Report) -> date:
    """Since when the team could act on the report: its creation, or its return."""
    created = timezone.localdate(report.created_at) if report.created_at else timezone.localdate()
    if report.state == ReportState.RETURNED and report.decided_at:
        return max(created, timezone.localdate(report.decided_at))
    return created


def _as_pure(row: ReportReminder) -> Reminder:
    return Reminder(row.offset_days, row.due_on, row.send_on, sent=row.sent_at is not None)


def reminders_compute(*, report: Report, today: date | None = None) -> list[ReportReminder]:
    """Bring the report's reminders in line with its due date and the configured offsets:
    new ones created, those of a moved due date recomputed (pending again when their new date
    is ahead), unsent ones of an offset no longer configured removed. Idempotent."""
    today = today or timezone.localdate()
    with transaction.atomic():
        rows = {
            r.offset_days: r
            for r in ReportReminder.objects.select_for_update().filter(report=report)
        }
        plan = reminders_plan(
            due_on=report.due_on,
            offsets=reminder_offsets(),
            existing=[_as_pure(r) for r in rows.values()],
            today=today,
        )
        planned = {p.offset for p in plan}
        stale = [r.pk for offset, r in rows.items() if offset not in planned]
        if stale:
            ReportReminder.objects.filter(pk__in=stale).delete()
        create: list[ReportReminder] = []
        for item in plan:
            row = rows.get(item.offset)
            if row is None:
                create.append(
                    ReportReminder(
                        report=report,
                        offset_days=item.offset,
                        due_on=item.due_on,
                        send_on=item.send_on,
                    )
                )
            elif _as_pure(row) != item:
                row.due_on, row.send_on = item.due_on, item.send_on
                if not item.sent:
                    row.sent_at = None
                row.save(update_fields=["due_on", "send_on", "sent_at"])
        ReportReminder.objects.bulk_create(create)
    return list(report.reminders.all())


def reminders_send(*, today: date | None = None) -> int:
    """Send every reminder due by `today` (reports being written), one message per report and
    run; each reminder is marked sent in the same transaction, so a second run sends nothing
    twice and a missed day is caught up by the next. Returns how many reports were reminded."""
    today = today or timezone.localdate()
    report_ids = list(
        ReportReminder.objects.filter(
            sent_at__isnull=True,
            send_on__lte=today,
            report__state__in=WRITABLE_REPORT_STATES,
        )
        .values_list("report_id", flat=True)
        .distinct()
        .order_by("report_id")
    )
    reminded = 0
    for report_id in report_ids:
        if _remind(report_id, today):
            reminded += 1
    return reminded


def _remind(report_id: int, today: date) -> bool:
    with transaction.atomic():
        report = (
            Report.objects.select_for_update()
            .select_related("partnership")
            .filter(pk=report_id)
            .first()
        )
        if report is None:
            return False
        rows = list(
            ReportReminder.objects.select_for_update().filter(
                report=report, sent_at__isnull=True, send_on__lte=today
            )
        )
        due = reminders_due(
            [_as_pure(r) for r in rows],
            today=today,
            writable_since=writable_since(report),
            writable=report.state in WRITABLE_REPORT_STATES,
        )
        if not due:
            return False
        offsets = {r.offset for r in due}
        now = timezone.now()
        ReportReminder.objects.filter(
            pk__in=[r.pk for r in rows if r.offset_days in offsets]
        ).update(sent_at=now)
        _tell(report, today)
    return True


def _tell(report: Report, today: date) -> None:
    partnership = report.partnership
    people = {
        user.pk: user
        for side in ("swedish", "partner")
        for user in coordinators_of(partnership, side)
    }
    days = days_from_due(due_on=report.due_on, today=today)
    due_on = report.due_on
    if days < 0:
        body = gettext_noop(
            "The report “%(report)s” of %(partnership)s is due on %(due)s (days left: %(days)s). "
            "The reports: %(link)s"
        )
    elif days == 0:
        body = gettext_noop(
            "The report “%(report)s” of %(partnership)s is due today, %(due)s. The reports: "
            "%(link)s"
        )
    else:
        body = gettext_noop(
            "The report “%(report)s” of %(partnership)s was due on %(due)s and is overdue (days "
            "late: %(days)s). The reports: %(link)s"
        )
    with translation.override(settings.LANGUAGE_CODE):
        link = reverse("reports:list", kwargs={"slug": partnership.slug})
    notify(
        list(people.values()),
        Message(
            subject=gettext_noop("Report due on %(due)s: %(report)s"),
            body=body,
            params={
                "report": lambda language: str(report),
                "partnership": lambda language: partnership.title,
                "due": lambda language: formats.date_format(due_on, "DATE_FORMAT"),
                "days": abs(days),
            },
            link=f"{link}#report-{report.pk}",
            kind="reports",
        ),
    )
