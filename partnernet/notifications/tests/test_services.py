"""The one notification service: an in-app row and e-mail per the person's preference, in the
recipient's language; the e-mail sent by its job after the commit. Expected texts by hand."""

import json
import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from partnernet.accounts.models import User
from partnernet.accounts.notify import Message, notify
from partnernet.accounts.selectors import person_export
from partnernet.accounts.services import person_erase
from partnernet.accounts.tests.factories import UserFactory
from partnernet.jobs.models import JobState
from partnernet.jobs.services import jobs_run_due
from partnernet.notifications import services
from partnernet.notifications.demo import DEMO_KIND as DEMO
from partnernet.notifications.demo import notifications_demo_load
from partnernet.notifications.models import (
    EmailFrequency,
    Notification,
    NotificationPreference,
    OutgoingEmail,
)

pytestmark = pytest.mark.django_db

PROPOSED = Message(
    subject=gettext_noop("A partner has been proposed"),
    body=gettext_noop("Your Partnernet account"),
    link="/grants/",
)
# A message that must reach the person's inbox whatever they prefer, and is never kept in-app.
LINK_ONLY = Message(
    subject=gettext_noop("Reset your Partnernet password"),
    body="secret link %(link)s",
    params={"link": "https://partnernet.example/accounts/password/set/secret/"},
    in_app=False,
    always_email=True,
)


class RaisingBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def _person(frequency: str | None = None, **kwargs) -> User:
    person = UserFactory(**kwargs)
    if frequency is not None:
        NotificationPreference.objects.create(user=person, email=frequency)
    return person


# Negative paths first ------------------------------------------------------------------------
def test_a_rolled_back_transaction_leaves_no_notification_and_no_mail(
    django_capture_on_commit_callbacks,
):
    person = _person()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify([person], PROPOSED)
        raise RuntimeError("roll back")
    assert callbacks == []
    assert Notification.objects.exclude(kind=DEMO).count() == 0
    assert mail.outbox == []


def test_nothing_is_sent_before_the_commit(django_capture_on_commit_callbacks):
    """The rows are written in the caller's transaction; the e-mail waits for the commit."""
    person = _person()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([person], PROPOSED)
    assert len(callbacks) == 1 and mail.outbox == []
    row = Notification.objects.exclude(kind=DEMO).get()
    email = OutgoingEmail.objects.get()
    assert row.outgoing == email and email.sent_at is None and email.address == person.email
    assert email.job.name == "notifications.send_email" and email.job.state == JobState.PENDING


def test_inactive_people_and_addresses_without_an_account_get_no_in_app_row(
    django_capture_on_commit_callbacks,
):
    gone = _person(is_active=False)
    stranger = User(email="stranger@example.org", is_active=True)  # no account (unsaved)
    with django_capture_on_commit_callbacks(execute=True):
        count = notify([gone, stranger, None], PROPOSED)
    assert count == 1  # the stranger's e-mail
    assert Notification.objects.exclude(kind=DEMO).count() == 0
    assert [m.to for m in mail.outbox] == [["stranger@example.org"]]


def test_a_failing_mail_server_keeps_the_e_mail_waiting_and_it_is_sent_later_once(
    django_capture_on_commit_callbacks, settings, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.RaisingBackend"
    person = _person()
    with (
        caplog.at_level(logging.WARNING, logger="partnernet.notifications.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notify([person], PROPOSED) == 1
    row = Notification.objects.exclude(kind=DEMO).get()
    assert row.recipient == person and row.emailed_at is None
    email = OutgoingEmail.objects.get()
    assert email.sent_at is None and email.body.endswith("/grants/")
    assert (email.job.state, email.job.attempts) == (JobState.PENDING, 1)
    assert email.job.last_error == "ConnectionRefusedError"  # the class only
    assert [
        r.getMessage() for r in caplog.records if r.name == "partnernet.notifications.services"
    ] == [f"notify: the e-mail to user {person.pk} failed (ConnectionRefusedError); tried later"]
    # Not yet due: nothing is tried; after the backoff, with the server back, sent once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert jobs_run_due(now=timezone.now()) == 0
    later = timezone.now() + timedelta(minutes=1)
    assert jobs_run_due(now=later) == 1 and jobs_run_due(now=later) == 0
    assert [m.to for m in mail.outbox] == [[person.email]]
    row.refresh_from_db()
    email.refresh_from_db()
    assert row.emailed_at == email.sent_at and email.body == ""  # no link kept at rest


def test_an_e_mail_already_sent_is_not_sent_again():
    person = _person()
    notify([person], PROPOSED)  # the test's transaction never commits: the job waits
    email = OutgoingEmail.objects.get()
    assert services.outgoing_email_send(email_id=email.pk) is True
    assert services.outgoing_email_send(email_id=email.pk) is False
    assert services.outgoing_email_send(email_id=email.pk + 1000) is False  # gone (erased)
    assert len(mail.outbox) == 1


def test_old_outbox_rows_are_forgotten_and_a_given_up_body_emptied():
    person = _person()
    notify([person], LINK_ONLY)
    notify([person], LINK_ONLY)
    sent, waiting = OutgoingEmail.objects.order_by("pk")
    services.outgoing_email_send(email_id=sent.pk)
    now = timezone.now()
    assert services.outgoing_emails_forget(now=now + timedelta(days=1)) == 0
    assert services.outgoing_emails_forget(now=now + timedelta(days=3)) == 1  # the body
    waiting.refresh_from_db()
    assert waiting.body == "" and waiting.sent_at is None
    assert services.outgoing_emails_forget(now=now + timedelta(days=31)) == 1  # the sent row
    assert list(OutgoingEmail.objects.all()) == [waiting]


def test_a_secret_link_is_never_kept_in_app(django_capture_on_commit_callbacks):
    person = _person(EmailFrequency.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        notify([person], LINK_ONLY)
    assert Notification.objects.exclude(kind=DEMO).count() == 0
    assert len(mail.outbox) == 1 and "secret" in mail.outbox[0].body


# The preference × the kind of message, written out by hand -------------------------------------
# (preference, message) → (in-app row?, e-mail now?, e-mail still owed for the digest/retry?)
TABLE = [
    (None, "in_app", True, True, False),  # no preference row: immediately
    (EmailFrequency.IMMEDIATELY, "in_app", True, True, False),
    (EmailFrequency.DAILY, "in_app", True, False, True),
    (EmailFrequency.NEVER, "in_app", True, False, False),
    (None, "always_email", False, True, False),
    (EmailFrequency.IMMEDIATELY, "always_email", False, True, False),
    (EmailFrequency.DAILY, "always_email", False, True, False),
    (EmailFrequency.NEVER, "always_email", False, True, False),
]


@pytest.mark.parametrize(("frequency", "kind", "row", "now", "owed"), TABLE)
def test_what_each_preference_gets_for_each_kind_of_message(
    frequency, kind, row, now, owed, django_capture_on_commit_callbacks
):
    person = _person(frequency)
    message = PROPOSED if kind == "in_app" else LINK_ONLY
    with django_capture_on_commit_callbacks(execute=True):
        notify([person], message)
    rows = list(Notification.objects.filter(recipient=person))
    assert bool(rows) is row
    assert len(mail.outbox) == (1 if now else 0)
    if rows:
        assert rows[0].email_due is owed
        assert (rows[0].emailed_at is not None) is now


def test_a_person_without_an_address_is_told_in_app_only(django_capture_on_commit_callbacks):
    person = _person(email="")
    with django_capture_on_commit_callbacks(execute=True):
        assert notify([person, person], PROPOSED) == 1
    row = Notification.objects.exclude(kind=DEMO).get()
    assert row.recipient == person and not row.email_due and mail.outbox == []


# Languages ---------------------------------------------------------------------------------------
def test_each_reader_reads_the_notification_and_the_mail_in_their_language(
    django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://partnernet.example"
    message = Message(
        subject=gettext_noop("A partner has been proposed"),
        body=(gettext_noop("Your Partnernet account"), "%(place)s"),
        params={"place": lambda language: {"sv": "Kiev", "uk": "Київ"}.get(language, "Kyiv")},
        link="/sv/grants/",
    )
    people = {code: _person(preferred_language=code) for code in ("sv", "uk", "en")}
    with django_capture_on_commit_callbacks(execute=True):
        notify(people.values(), message)
    wanted = {
        "sv": ("En partner har föreslagits", "Ditt konto i Partnernet\n\nKiev"),
        "uk": ("Запропоновано партнера", "Ваш обліковий запис у Partnernet\n\nКиїв"),
        "en": ("A partner has been proposed", "Your Partnernet account\n\nKyiv"),
    }
    mails = {m.to[0]: (m.subject, m.body) for m in mail.outbox}
    for code, person in people.items():
        subject, body = wanted[code]
        url = f"https://partnernet.example/{code}/grants/"
        assert mails[person.email] == (subject, f"{body}\n\n{url}")
        row = Notification.objects.get(recipient=person)
        # Stored as message ids with the parameters of every language, never a sentence.
        assert row.subject == "A partner has been proposed"
        assert row.params == {
            "sv": {"place": "Kiev"},
            "uk": {"place": "Київ"},
            "en": {"place": "Kyiv"},
        }
        assert row.link == "/grants/" and row.kind == "grants"
        assert services.notification_render(row, code) == (subject, f"{body}\n\n{url}")


def test_the_demo_step_writes_each_demo_persons_notifications_once():
    notifications_demo_load()  # the test database's demo people have theirs already
    coordinator = UserFactory(email="someone@demo.example", preferred_language="uk")
    officer = UserFactory(email="someone@icld.example")
    UserFactory(email="outsider@example.org")
    assert notifications_demo_load() == 3
    assert notifications_demo_load() == 0
    assert Notification.objects.filter(recipient=coordinator).count() == 2
    welcome = Notification.objects.get(recipient=officer)
    assert services.notification_render(welcome, "en")[0] == "Welcome to your notifications"


def test_a_database_failure_while_telling_does_not_reach_the_caller(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    person = _person()

    def broken(pks):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_frequencies", broken)
    with (
        caplog.at_level(logging.WARNING, logger="partnernet.notifications.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notify([person], PROPOSED) == 1
    assert [r.getMessage() for r in caplog.records] == ["notify: telling 1 people failed"]
    assert not OutgoingEmail.objects.exists() and mail.outbox == []


# Personal data ---------------------------------------------------------------------------------
def test_the_export_leaves_out_a_waiting_e_mails_link_and_erasure_removes_every_e_mail():
    person = _person(email="marta.lys@hromada.example")
    notify([person], LINK_ONLY)  # waits in the outbox (the test's transaction never commits)
    stranger = User(email="Marta.Lys@hromada.example", is_active=True)  # her address, no account
    notify([stranger], LINK_ONLY)
    other = _person(email="someone.else@hromada.example")
    notify([other], LINK_ONLY)
    assert OutgoingEmail.objects.filter(body__contains="/password/set/secret/").count() == 3
    exported = json.dumps(person_export(user=person))
    assert "marta.lys@hromada.example" in exported and "/password/set/secret/" not in exported
    person_erase(user=person, actor=None, reason="request")
    assert list(OutgoingEmail.objects.values_list("address", flat=True)) == [other.email]
