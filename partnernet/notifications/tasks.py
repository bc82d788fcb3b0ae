"""The notification jobs as plain functions a task queue can wrap (issue 15 schedules them)."""

from django.utils import timezone

from .services import notification_digests_send


def send_digests() -> int:
    """The daily digests and the retries of failed e-mails, up to now (idempotent)."""
    return notification_digests_send(now=timezone.now())
