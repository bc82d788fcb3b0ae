"""The notification jobs (`partnernet.jobs`): each e-mail of the outbox is sent by its own job,
retried with backoff while the mail server refuses; the scheduler runs the digests every 15
minutes."""

from typing import Any

from django.utils import timezone

from partnernet.jobs.registry import job

from .services import (
    SEND_EMAIL,
    notification_digests_send,
    outgoing_email_send,
    outgoing_emails_forget,
)


@job(SEND_EMAIL)
def send_email(email_id: Any) -> bool:
    """Send one e-mail of the outbox, once (raises while the mail server refuses: retried)."""
    return outgoing_email_send(email_id=email_id)


@job("notifications.send_digests")
def send_digests() -> int:
    """The daily digests and what else is owed by e-mail, up to now (idempotent); the outbox's
    old rows are forgotten on the way."""
    now = timezone.now()
    outgoing_emails_forget(now=now)
    return notification_digests_send(now=now)
