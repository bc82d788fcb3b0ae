"""Two digest runs at the same moment on PostgreSQL (threads with their own connections): each
person's e-mail goes out once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from partnernet.accounts.tests.factories import UserFactory
from partnernet.grants.tests.test_concurrency import run_together
from partnernet.notifications.models import EmailFrequency, Notification, NotificationPreference
from partnernet.notifications.services import notification_digests_send

pytestmark = [
    pytest.mark.skipif(
        not settings.IS_POSTGRES,
        reason="row locks need PostgreSQL; SQLite serialises whole transactions",
    ),
]


@pytest.fixture(autouse=True)
def _committed(transactional_db):
    """Threads need committed rows: these tests run outside a test transaction."""


def _owed(person, count: int) -> None:
    for minutes in range(count):
        Notification.objects.create(
            recipient=person,
            subject="A partner has been proposed",
            body=["Your Partnernet account"],
            params={},
            created_at=timezone.now() - timedelta(hours=2, minutes=minutes),
            email_due=True,
        )


def test_two_runs_at_once_send_each_digest_and_each_retry_once():
    daily = UserFactory(email="daily@example.org")
    NotificationPreference.objects.create(user=daily, email=EmailFrequency.DAILY)
    immediate = UserFactory(email="immediate@example.org")  # its first e-mails had failed
    _owed(daily, 3)
    _owed(immediate, 2)
    now = timezone.now()
    outcomes = run_together(
        lambda: notification_digests_send(now=now), lambda: notification_digests_send(now=now)
    )
    assert sorted(outcomes) in ([0, 3], [1, 2])  # one digest and two retries between them
    assert sorted(m.to[0] for m in mail.outbox) == [
        "daily@example.org",
        "immediate@example.org",
        "immediate@example.org",
    ]
    assert not Notification.objects.filter(
        recipient__in=[daily, immediate], emailed_at__isnull=True
    ).exists()
