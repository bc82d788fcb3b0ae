"""The one notification service: an in-app row and e-mail per the person's preference, in the
recipient's language, after the commit. Expected texts written by hand."""

import logging

import pytest
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext_noop

from partnernet.accounts.models import User
from partnernet.accounts.notify import Message, notify
from partnernet.accounts.tests.factories import UserFactory
from partnernet.notifications import services
from partnernet.notifications.demo import DEMO_KIND as DEMO
from partnernet.notifications.demo import notifications_demo_load
from partnernet.notifications.models import EmailFrequency, Notification, NotificationPreference

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


def test_nothing_is_written_before_the_commit(django_capture_on_commit_callbacks):
    person = _person()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([person], PROPOSED)
    assert len(callbacks) == 1
    assert Notification.objects.exclude(kind=DEMO).count() == 0 and mail.outbox == []


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


def test_a_failing_mail_server_keeps_the_notification_owed(
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
    assert row.recipient == person and row.email_due and row.emailed_at is None
    assert [r.getMessage() for r in caplog.records] == [
        f"notify: the e-mail to user {person.pk} failed"
    ]


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


def test_a_database_failure_after_the_commit_does_not_reach_the_caller(
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
