"""The reports' scheduled work, as plain functions a scheduler (celery beat, cron through the
management command) calls once a day."""

from __future__ import annotations

from datetime import date

from partnernet.jobs.registry import job

from .services.reminders import reminders_send
from .services.schedule import report_schedule_catch_up


@job("reports.send_report_reminders")
def send_report_reminders(today: date | None = None) -> dict[str, int]:
    """Complete the schedule of every active agreement (catch-up), then send every reminder due.
    Idempotent: running it twice sends nothing twice; a missed day is caught up."""
    created = report_schedule_catch_up(today=today)
    reminded = reminders_send(today=today)
    return {"created": created, "reminded": reminded}
