"""The notification jobs (`partnernet.jobs`: the scheduler runs the digests every 15 minutes)."""

from django.utils import timezone

from partnernet.jobs.registry import job

from .services import notification_digests_send


@job("notifications.send_digests")
def send_digests() -> int:
    """The daily digests and the retries of failed e-mails, up to now (idempotent)."""
    return notification_digests_send(now=timezone.now())
