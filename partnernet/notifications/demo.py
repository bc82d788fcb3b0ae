"""The demo's notifications: every demo person finds a welcome on their notifications page,
and the coordinators a pointer to what waits for them (idempotent: written once per person)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_noop

from .models import Notification
from .rendering import Message

DEMO_KIND = "demo"
DEMO_DOMAINS = ("@demo.example", "@icld.example")
WELCOME = Message(
    subject=gettext_noop("Welcome to your notifications"),
    body=gettext_noop(
        "What Partnernet tells you is kept here, in your language. Choose on the settings page "
        "whether you also get it by e-mail: at once, in one digest a day, or not at all."
    ),
    link="/notifications/settings/",
    kind=DEMO_KIND,
)
WAITING = Message(
    subject=gettext_noop("Something waits for you on your start page"),
    body=gettext_noop(
        "Proposals, letters of intent and application sections that wait for your answer are "
        "listed on your start page."
    ),
    link="/me/",
    kind=DEMO_KIND,
)


def notifications_demo_load() -> int:
    """Write the demo notifications that are missing; returns how many were written."""
    User = get_user_model()
    people = [
        person
        for person in User.objects.filter(is_active=True).order_by("pk")
        if person.email.endswith(DEMO_DOMAINS)
    ]
    done = set(Notification.objects.filter(kind=DEMO_KIND).values_list("recipient_id", flat=True))
    now = timezone.now()
    rows = []
    for person in people:
        if person.pk in done:
            continue
        messages = [WELCOME]
        if person.email.endswith("@demo.example"):  # the municipalities' people
            messages.append(WAITING)
        for minutes, message in enumerate(messages):
            rows.append(
                Notification(
                    recipient=person,
                    kind=DEMO_KIND,
                    subject=str(message.subject),
                    body=message.body_ids(),
                    params=message.params_by_language(),
                    link=message.link,
                    created_at=now - timedelta(minutes=5 * (len(messages) - minutes)),
                )
            )
    Notification.objects.bulk_create(rows)
    return len(rows)
