"""accounts.notify (a re-export of notifications.services): one message per person, in their
language, after the commit."""

import logging

import pytest
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext_lazy, gettext_noop

from partnernet.accounts.notify import Message, link_for, notify
from partnernet.accounts.tests.factories import UserFactory
from partnernet.notifications import services as notify_module
from partnernet.notifications.demo import DEMO_KIND as DEMO
from partnernet.notifications.models import Notification

pytestmark = pytest.mark.django_db

PROPOSED = Message(
    subject=gettext_noop("A partner has been proposed"),
    body=gettext_noop("Your Partnernet account"),
)


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    person = UserFactory(preferred_language="sv")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify([person], PROPOSED)
        raise RuntimeError("roll back")
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exclude(kind=DEMO).exists()


def test_nothing_is_sent_before_the_commit(django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([person], PROPOSED)
        assert mail.outbox == []
    assert len(callbacks) == 1


def test_inactive_people_and_people_without_an_address_are_skipped(
    django_capture_on_commit_callbacks,
):
    active = UserFactory(email="active@example.org")
    gone = UserFactory(email="gone@example.org", is_active=False)
    nameless = UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        count = notify([gone, nameless, None, active], PROPOSED)
    # The person without an address is told in-app only; the inactive one not at all.
    assert count == 2
    assert [m.to for m in mail.outbox] == [["active@example.org"]]
    assert set(Notification.objects.exclude(kind=DEMO).values_list("recipient_id", flat=True)) == {
        active.pk,
        nameless.pk,
    }


def test_each_person_gets_one_message_in_their_own_language(django_capture_on_commit_callbacks):
    swede = UserFactory(email="sv@example.org", preferred_language="sv")
    ukrainian = UserFactory(email="uk@example.org", preferred_language="uk")
    english = UserFactory(email="en@example.org", preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify([swede, ukrainian, english, swede, ukrainian], PROPOSED)
    got = {m.to[0]: (m.subject, m.body) for m in mail.outbox}
    assert len(mail.outbox) == 3
    assert got == {
        "sv@example.org": ("En partner har föreslagits", "Ditt konto i Partnernet"),
        "uk@example.org": ("Запропоновано партнера", "Ваш обліковий запис у Partnernet"),
        "en@example.org": ("A partner has been proposed", "Your Partnernet account"),
    }


def test_parameters_are_rendered_in_the_readers_language(django_capture_on_commit_callbacks):
    message = Message(
        subject=gettext_noop("A partner has been proposed"),
        body="%(place)s / %(label)s / %(code)s / %(lang)s",
        params={
            "place": lambda language: {"sv": "Kiev", "uk": "Київ"}.get(language, "Kyiv"),
            "label": gettext_lazy("Your Partnernet account"),
            "code": 42,
            "lang": lambda language: language,
        },
    )
    assert message.render("uk")[1] == "Київ / Ваш обліковий запис у Partnernet / 42 / uk"
    assert message.render("sv")[1] == "Kiev / Ditt konto i Partnernet / 42 / sv"


def test_user_text_in_a_parameter_is_not_formatted_again():
    message = Message(subject="x", body=("%(reason)s",), params={"reason": "50% done, %(x)s"})
    assert message.render("en")[1] == "50% done, %(x)s"


def test_a_site_link_gets_the_site_address_and_the_readers_language(settings):
    settings.SITE_URL = "https://partnernet.example/"
    assert link_for("/grants/", "uk") == "https://partnernet.example/uk/grants/"
    assert link_for("/sv/grants/", "uk") == "https://partnernet.example/uk/grants/"
    # Outside the language prefixes, and full addresses, stay as they are.
    assert link_for("/accounts/login/", "uk") == "https://partnernet.example/accounts/login/"
    assert link_for("https://elsewhere.example/x", "uk") == "https://elsewhere.example/x"
    message = Message(subject="s", body=gettext_noop("Your Partnernet account"), link="/grants/")
    assert message.render("sv")[1] == (
        "Ditt konto i Partnernet\n\nhttps://partnernet.example/sv/grants/"
    )


def test_one_failing_address_does_not_stop_the_others(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    first = UserFactory(email="first@example.org")
    broken = UserFactory(email="broken@example.org")
    last = UserFactory(email="last@example.org")
    real_send = notify_module.send_mail

    def send(subject, body, sender, to):
        if to == ["broken@example.org"]:
            raise OSError("mail server refused")
        return real_send(subject, body, sender, to)

    monkeypatch.setattr(notify_module, "send_mail", send)
    with (
        caplog.at_level(logging.WARNING, logger="partnernet.notifications.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify([first, broken, last], PROPOSED)
    assert [m.to[0] for m in mail.outbox] == ["first@example.org", "last@example.org"]
    warnings = [
        r
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name == "partnernet.notifications.services"
    ]
    assert len(warnings) == 1 and str(broken.pk) in warnings[0].getMessage()
