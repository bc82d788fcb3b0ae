"""What runs on a timetable (celery beat, `partnernet scheduler`): job names and when, in code.
Each job is idempotent and catches up what a missed run left, so a scheduler that was down
for a while, or two that ran at once, lose and double nothing."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

# (job name, when): minute/hour in the scheduler's time zone (TIME_ZONE, Europe/Stockholm).
TIMETABLE: dict[str, Any] = {
    "jobs.relay": crontab(),  # every minute: hand over jobs the broker missed
    "notifications.send_digests": crontab(minute="*/15"),  # digests due, failed e-mails again
    "reports.send_report_reminders": crontab(minute=0, hour=6),
    "opendata.regenerate": crontab(minute=30, hour=2),
    "jobs.cleanup": crontab(minute=45, hour=3),
}


def beat_schedule() -> dict[str, dict[str, Any]]:
    return {
        name: {"task": "partnernet.jobs.scheduled", "schedule": when, "args": (name,)}
        for name, when in TIMETABLE.items()
    }
