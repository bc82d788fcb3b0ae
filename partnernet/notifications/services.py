"""Telling people: the one notification service (issue 13.6), its e-mail sent by the task queue
(issue 15).

`notify(people, message)` is the only way the platform tells someone something. In the caller's
transaction (rolled back with it, nothing at all then) each person gets, once:

- an in-app notification (`Notification`: the message ids and the parameters rendered in
  every language, read in the reader's language), unless `message.in_app` is False; people who
  are inactive or have no account get none;
- an e-mail in their `preferred_language`, per their `NotificationPreference`: immediately
  (one e-mail now), daily (collected into one digest a day, `notification_digests_send`) or
  never. A message with `always_email` (set-password links, invitations, join confirmations)
  is e-mailed now whatever the preference. People without an address get no e-mail.

An e-mail is a row of the outbox (`OutgoingEmail`) and a job (`notifications.send_email`,
`partnernet.jobs`): published after the commit to the worker, or run in this process after it
without a broker. No mail server is spoken to inside the request's transaction. A mail server
that refuses makes the job fail and be retried with backoff (`jobs.backoff`) until it takes the
e-mail; the job sends an e-mail at most once (`outgoing_email_send`) and empties its body then.
A failure while telling is logged (warning) and never fails the caller: its change is kept.
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

from partnernet.jobs.services import job_enqueue
from partnernet.lib import languages

from .models import EmailFrequency, Notification, NotificationPreference, OutgoingEmail
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
    "outgoing_email_send",
    "outgoing_emails_forget",
]

logger = logging.getLogger(__name__)

SEND_EMAIL = "notifications.send_email"
# A notification still owed to a person who wants immediate e-mail (written before the outbox
# existed, or by hand) is e-mailed by the next digest run once it is this old.
RETRY_AFTER = timedelta(minutes=10)
# A sent e-mail's row (address and subject, no body) is kept this long, for looking into a
# complaint; an e-mail still unsent this long after it was written was given up by its job
# (about a day of tries): its body is emptied.
KEEP_SENT = timedelta(days=30)
GIVE_UP_AFTER = timedelta(days=2)


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
    """Tell `message` to each of `people` (in-app and by e-mail, see the module's docstring);
    returns how many people it will reach (in-app or by e-mail)."""
    active = _active(people)
    in_app = [p.pk for p in active if message.in_app and p.pk is not None]
    mail_to = recipients(active)
    if not in_app and not mail_to:
        return 0
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the caller's change
            _deliver(in_app, mail_to, message)
    except Exception:
        logger.warning(
            "notify: telling %s people failed", len(in_app) or len(mail_to), exc_info=True
        )
    return len({p.pk or p.email for p in active if p.pk in in_app or _has_address(p)})


def _has_address(person: Any) -> bool:
    return bool((getattr(person, "email", "") or "").strip())


def _deliver(in_app: list[Any], mail_to: list[Recipient], message: Message) -> None:
    pks = list({*in_app, *(person.pk for person in mail_to if person.pk is not None)})
    frequency = _frequencies(pks)
    now = timezone.now()
    emails = {}
    for person in mail_to:
        if _sends_now(message, frequency.get(person.pk, EmailFrequency.IMMEDIATELY)):
            emails[person.pk or person.email] = _outgoing(person, *message.render(person.language))
    _outbox(list(emails.values()), now)
    waits = {
        p.pk
        for p in mail_to
        if (p.pk or p.email) not in emails
        and frequency.get(p.pk, EmailFrequency.IMMEDIATELY) == EmailFrequency.DAILY
    }
    _store(in_app, waits, emails, message, now)


def _outgoing(person: Recipient, subject: str, body: str) -> OutgoingEmail:
    return OutgoingEmail(
        recipient_id=person.pk,
        address=person.email,
        language=person.language,
        subject=subject[:500],
        body=body,
    )


def _outbox(emails: list[OutgoingEmail], now: datetime) -> None:
    """Write `emails` to the outbox, each with the job that sends it after the commit."""
    if not emails:
        return
    for email in emails:
        email.created_at = now
    OutgoingEmail.objects.bulk_create(emails)
    for email in emails:
        email.job = job_enqueue(name=SEND_EMAIL, arguments={"email_id": email.pk})
    OutgoingEmail.objects.bulk_update(emails, ["job"])


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
    in_app: list[Any],
    waits: set[Any],
    emails: dict[Any, OutgoingEmail],
    message: Message,
    now: datetime,
) -> None:
    """The in-app rows, one per person: `email_due` while the digest owes its e-mail, linked to
    the e-mail that carries it when one is sent now."""
    if not in_app:
        return
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
            email_due=pk in waits,
            outgoing=emails.get(pk),
        )
        for pk in in_app
    ]
    Notification.objects.bulk_create(rows)


def _unprefixed(path: str) -> str:
    for code in languages.LANGUAGES:
        if path.startswith(f"/{code}/"):
            return path[len(code) + 1 :]
    return path


# Sending (the job) -----------------------------------------------------------------------------
def outgoing_email_send(*, email_id: Any) -> bool:
    """Send the outbox's e-mail `email_id` unless it went out already (or is gone: erased);
    True when it was sent now. Under a lock on its row, so two runs at once send it once. A
    mail server that fails raises (the job is retried); once sent, the body is emptied and the
    notifications it carries are marked e-mailed.

    At the mail server's edge this is at least once: a crash after the server took the e-mail
    and before the commit sends it again on the next try (never lost, rarely twice)."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.sent_at is not None:
            return False
        try:
            send_mail(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.address])
        except Exception as error:
            logger.warning(
                "notify: the e-mail to user %s failed (%s); tried later",
                email.recipient_id,
                type(error).__name__,
            )
            raise
        email.sent_at = timezone.now()
        email.body = ""
        email.save(update_fields=["sent_at", "body"])
        Notification.objects.filter(outgoing=email).update(
            emailed_at=email.sent_at, email_due=False
        )
    return True


def outgoing_emails_forget(*, now: datetime) -> int:
    """Delete the rows of e-mails sent more than `KEEP_SENT` ago and empty the body of those
    given up (unsent after `GIVE_UP_AFTER`); returns how many rows changed."""
    deleted, _ = OutgoingEmail.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    emptied = (
        OutgoingEmail.objects.filter(sent_at__isnull=True, created_at__lt=now - GIVE_UP_AFTER)
        .exclude(body="")
        .update(body="")
    )
    return deleted + emptied


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


# The daily digest ------------------------------------------------------------
DIGEST_SUBJECT = gettext_noop("Partnernet: your notifications")
DIGEST_SETTINGS = gettext_noop("Choose how often you get these e-mails: %(link)s")


def notification_digests_send(*, now: datetime) -> int:
    """Hand to the outbox what is owed by e-mail up to `now`; returns how many e-mails.

    A person who prefers the daily digest gets one e-mail with everything owed to them, at most
    one a day (the day in the site's time zone): a day the job did not run is caught up by the
    next run. A person who prefers immediate e-mail and is still owed a notification (older than
    `RETRY_AFTER`) gets it as its own e-mail. A person who wants none, or has no address any
    longer, is owed nothing. Each person under a lock on their preference: running twice, or two
    runs at once, hands nothing over twice. The e-mails are sent by their jobs after the commit
    (retried while the mail server refuses)."""
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
            email = _outgoing(recipient, *_digest(owed, recipient.language))
            _outbox([email], now)
            preference.last_digest_at = now
            preference.save(update_fields=["last_digest_at"])
            _handed_over([n.pk for n in owed], email)
            return 1
        count = 0
        for notification in owed:
            if notification.created_at > now - RETRY_AFTER:
                continue  # just written: its own e-mail may still be on its way
            email = _outgoing(recipient, *notification_render(notification, recipient.language))
            _outbox([email], now)
            _handed_over([notification.pk], email)
            count += 1
        return count


def _handed_over(pks: list[Any], email: OutgoingEmail) -> None:
    Notification.objects.filter(pk__in=pks).update(email_due=False, outgoing=email)


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
