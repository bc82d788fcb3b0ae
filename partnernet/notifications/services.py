"""Telling people: the one notification service (issue 13.6).

`notify(people, message)` is the only way the platform tells someone something. After the
transaction commits (nothing at all when it rolls back) each person gets, once:

- an in-app notification (`Notification`: the message ids and the parameters rendered in
  every language, read in the reader's language), unless `message.in_app` is False; people who
  are inactive or have no account get none;
- an e-mail in their `preferred_language`, per their `NotificationPreference`: immediately
  (one e-mail now), daily (collected into one digest a day, `notification_digests_send`) or
  never. A message with `always_email` (set-password links, invitations, join confirmations)
  is e-mailed now whatever the preference. People without an address get no e-mail.

A failing mail server is logged (warning, with the user id) and never fails the request or
the other recipients; the notification keeps `email_due` with `emailed_at` empty, so the next
digest run sends it again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop, ngettext

from partnernet.lib import languages

from .models import EmailFrequency, Notification, NotificationPreference
from .rendering import Message, kind_of, link_for, path_for, render

__all__ = [
    "Message",
    "link_for",
    "path_for",
    "notify",
    "recipients",
    "notification_open",
    "notifications_mark_all_read",
    "notification_preference_set",
    "notification_digests_send",
]

logger = logging.getLogger(__name__)

# A notification whose immediate e-mail failed is tried again by the next run after this long.
RETRY_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Recipient:
    pk: Any  # None for an address without an account
    email: str
    language: str


def _language(person: Any) -> str:
    language = getattr(person, "preferred_language", "") or languages.DEFAULT
    return language if language in languages.LANGUAGES else languages.DEFAULT


def _active(people: Iterable[Any]) -> list[Any]:
    """Each active person once, in the order given."""
    seen: set = set()
    found = []
    for person in people:
        if person is None or not getattr(person, "is_active", False):
            continue
        email = (getattr(person, "email", "") or "").strip().lower()
        key = person.pk or email
        if not key or key in seen:
            continue
        seen.add(key)
        found.append(person)
    return found


def recipients(people: Iterable[Any]) -> list[Recipient]:
    """Each active person with an e-mail address once, in the order given."""
    found = []
    for person in _active(people):
        email = (getattr(person, "email", "") or "").strip()
        if email:
            found.append(Recipient(pk=person.pk, email=email, language=_language(person)))
    return found


def notify(people: Iterable[Any], message: Message) -> int:
    """Schedule `message` to each of `people` after the commit; returns how many people it
    will reach (in-app or by e-mail)."""
    active = _active(people)
    in_app = [p.pk for p in active if message.in_app and p.pk is not None]
    mail_to = recipients(active)
    if not in_app and not mail_to:
        return 0
    transaction.on_commit(lambda: _deliver_safely(in_app, mail_to, message))
    return len({p.pk or p.email for p in active if p.pk in in_app or _has_address(p)})


def _has_address(person: Any) -> bool:
    return bool((getattr(person, "email", "") or "").strip())


def _deliver_safely(in_app: list[Any], mail_to: list[Recipient], message: Message) -> None:
    """After the commit the change is made: nothing here may fail the request."""
    try:
        _deliver(in_app, mail_to, message)
    except Exception:
        logger.warning(
            "notify: telling %s people failed", len(in_app) or len(mail_to), exc_info=True
        )


def _deliver(in_app: list[Any], mail_to: list[Recipient], message: Message) -> None:
    pks = list({*in_app, *(person.pk for person in mail_to if person.pk is not None)})
    frequency = _frequencies(pks)
    try:
        rows = _store(in_app, {p.pk for p in mail_to}, frequency, message)
    except Exception:
        logger.warning("notify: the notifications could not be stored", exc_info=True)
        rows = {}
    sent = []
    for person in mail_to:
        if not _sends_now(message, frequency.get(person.pk, EmailFrequency.IMMEDIATELY)):
            continue  # waits for the digest, or the person wants no e-mail
        row = rows.get(person.pk)
        if _send(person, *message.render(person.language)) and row is not None:
            sent.append(row.pk)
    if sent:
        _mark_sent(sent, timezone.now())


def _sends_now(message: Message, frequency: str) -> bool:
    if message.always_email or frequency == EmailFrequency.IMMEDIATELY:
        return True
    # An e-mail-only message has no notification to wait for the digest in.
    return not message.in_app and frequency != EmailFrequency.NEVER


def _frequencies(pks: list[Any]) -> dict[Any, str]:
    return dict(
        NotificationPreference.objects.filter(user_id__in=pks).values_list("user_id", "email")
    )


def _store(
    in_app: list[Any], with_address: set[Any], frequency: dict[Any, str], message: Message
) -> dict[Any, Notification]:
    """The in-app rows, one per person, `email_due` while an e-mail is owed (until the
    immediate one is sent, or the digest's)."""
    if not in_app:
        return {}
    now = timezone.now()
    params = message.params_by_language()
    subject, body = str(message.subject)[:500], message.body_ids()
    kind = message.kind or kind_of(message.link)
    link = _unprefixed(message.link) if message.link and "://" not in message.link else ""
    rows = [
        Notification(
            recipient_id=pk,
            kind=kind,
            subject=subject,
            body=body,
            params=params,
            link=link or message.link,
            created_at=now,
            email_due=pk in with_address
            and (
                message.always_email
                or frequency.get(pk, EmailFrequency.IMMEDIATELY) != EmailFrequency.NEVER
            ),
        )
        for pk in in_app
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(rows)
    return {row.recipient_id: row for row in rows}


def _unprefixed(path: str) -> str:
    for code in languages.LANGUAGES:
        if path.startswith(f"/{code}/"):
            return path[len(code) + 1 :]
    return path


def _send(person: Recipient, subject: str, body: str) -> bool:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    except Exception:
        logger.warning("notify: the e-mail to user %s failed", person.pk, exc_info=True)
        return False
    return True


# Reading -------------------------------------------------------------------------------------
def notification_render(notification: Notification, language: str) -> tuple[str, str]:
    """A stored notification's subject and body in `language` (the parameters as they were
    rendered in that language when it was written)."""
    params = notification.params or {}
    in_language = params.get(language) or params.get(languages.DEFAULT) or {}
    return render(
        notification.subject,
        list(notification.body or []),
        in_language,
        link_for(notification.link, language),
        language,
    )


def notification_open(*, notification: Notification, at: datetime | None = None) -> str:
    """Mark the person's notification read (the first time); the path it leads to, in the
    reader's language ("" when it leads nowhere)."""
    if notification.read_at is None:
        notification.read_at = at or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification.link


def notifications_mark_all_read(*, user: Any, at: datetime | None = None) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=at or timezone.now()
    )


def notification_preference_set(*, user: Any, email: str) -> NotificationPreference:
    if email not in EmailFrequency.values:
        raise ValueError(email)
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email": email}
    )
    return preference


# The daily digest and the retries ------------------------------------------------------------
DIGEST_SUBJECT = gettext_noop("Partnernet: your notifications")
DIGEST_SETTINGS = gettext_noop("Choose how often you get these e-mails: %(link)s")


def notification_digests_send(*, now: datetime) -> int:
    """Send what is owed by e-mail up to `now`; returns how many e-mails went out.

    A person who prefers the daily digest gets one e-mail with everything owed to them, at most
    one a day (the day in the site's time zone): a day the job did not run is caught up by the
    next run. A person who prefers immediate e-mail gets each notification whose e-mail failed
    (older than `RETRY_AFTER`) again. A person who wants none, or has no address any longer, is
    owed nothing. Each person under a lock on their preference: running twice, or two runs at
    once, sends nothing twice; what fails stays owed."""
    User = get_user_model()
    owed = (
        Notification.objects.filter(email_due=True, emailed_at__isnull=True, created_at__lte=now)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for person in User.objects.filter(pk__in=list(owed)).order_by("pk"):
        sent += _send_owed(person, now=now)
    return sent


def _send_owed(person: Any, *, now: datetime) -> int:
    with transaction.atomic():
        NotificationPreference.objects.get_or_create(user=person)
        preference = NotificationPreference.objects.select_for_update().get(user=person)
        owed = list(
            Notification.objects.select_for_update()
            .filter(recipient=person, email_due=True, emailed_at__isnull=True, created_at__lte=now)
            .order_by("created_at", "pk")
        )
        to = recipients([person])
        if not owed:
            return 0
        if not to or preference.email == EmailFrequency.NEVER:
            Notification.objects.filter(pk__in=[n.pk for n in owed]).update(email_due=False)
            return 0
        recipient = to[0]
        if preference.email == EmailFrequency.DAILY:
            last = preference.last_digest_at
            if last is not None and timezone.localdate(last) >= timezone.localdate(now):
                return 0  # today's digest has gone out; the rest waits for tomorrow
            if not _send(recipient, *_digest(owed, recipient.language)):
                return 0
            preference.last_digest_at = now
            preference.save(update_fields=["last_digest_at"])
            _mark_sent([n.pk for n in owed], now)
            return 1
        count = 0
        for notification in owed:
            if notification.created_at > now - RETRY_AFTER:
                continue  # just written: its own e-mail may still be on its way
            if _send(recipient, *notification_render(notification, recipient.language)):
                _mark_sent([notification.pk], now)
                count += 1
        return count


def _mark_sent(pks: list[Any], now: datetime) -> None:
    Notification.objects.filter(pk__in=pks).update(emailed_at=now, email_due=False)


def _digest(notifications: list[Notification], language: str) -> tuple[str, str]:
    """One e-mail with every notification in `notifications`, in `language`."""
    with translation.override(language):
        count = len(notifications)
        intro = ngettext(
            "You have %(count)s new notification in Partnernet:",
            "You have %(count)s new notifications in Partnernet:",
            count,
        ) % {"count": count}
        items = []
        for notification in notifications:
            subject, _body = notification_render(notification, language)
            url = link_for(notification.link, language)
            items.append(f"- {subject}\n  {url}" if url else f"- {subject}")
        settings_link = link_for("/notifications/settings/", language)
        footer = gettext(DIGEST_SETTINGS) % {"link": settings_link}
        return gettext(DIGEST_SUBJECT), "\n\n".join([intro, "\n\n".join(items), footer])
