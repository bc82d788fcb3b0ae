"""The daily digest and the retry of failed e-mails: idempotent, a missed day caught up, one
digest a day at most, in the reader's language (the clock moved with time-machine)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils.translation import gettext_noop

from partnernet.accounts.notify import Message, notify
from partnernet.accounts.tests.factories import UserFactory
from partnernet.notifications.demo import DEMO_KIND as DEMO
from partnernet.notifications.models import EmailFrequency, Notification, NotificationPreference
from partnernet.notifications.services import notification_digests_send

from .test_services import RaisingBackend  # noqa: F401 (named by the settings below)

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")
PROPOSED = Message(
    subject=gettext_noop("A partner has been proposed"),
    body=gettext_noop("Your Partnernet account"),
    link="/grants/",
)


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, 0, tzinfo=STOCKHOLM)


def _daily(**kwargs):
    person = UserFactory(**kwargs)
    NotificationPreference.objects.create(user=person, email=EmailFrequency.DAILY)
    return person


def _notify_at(when: datetime, people, capture) -> None:
    with time_machine.travel(when, tick=False), capture(execute=True):
        notify(people, PROPOSED)


def test_nothing_owed_sends_nothing():
    UserFactory()
    assert notification_digests_send(now=at(8, 7)) == 0
    assert mail.outbox == []


def test_the_digest_is_sent_once_and_a_second_run_sends_nothing(
    django_capture_on_commit_callbacks,
):
    person = _daily(preferred_language="en")
    _notify_at(at(7, 14), [person], django_capture_on_commit_callbacks)
    _notify_at(at(7, 15), [person], django_capture_on_commit_callbacks)
    assert mail.outbox == []  # waits for the digest
    assert notification_digests_send(now=at(8, 7)) == 1
    assert notification_digests_send(now=at(8, 7)) == 0  # the same run again
    assert notification_digests_send(now=at(8, 9)) == 0  # later the same day
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [person.email]
    assert digest.subject == "Partnernet: your notifications"
    assert digest.body.startswith("You have 2 new notifications in Partnernet:")
    assert digest.body.count("- A partner has been proposed") == 2
    assert not Notification.objects.exclude(kind=DEMO).filter(emailed_at__isnull=True).exists()


def test_one_digest_a_day_what_comes_after_it_waits_for_tomorrow(
    django_capture_on_commit_callbacks,
):
    person = _daily()
    _notify_at(at(7, 14), [person], django_capture_on_commit_callbacks)
    assert notification_digests_send(now=at(8, 7)) == 1
    _notify_at(at(8, 8), [person], django_capture_on_commit_callbacks)
    assert notification_digests_send(now=at(8, 20)) == 0
    assert notification_digests_send(now=at(9, 7)) == 1
    assert len(mail.outbox) == 2


def test_a_missed_day_is_caught_up_in_one_digest_in_the_readers_language(
    django_capture_on_commit_callbacks,
):
    person = _daily(preferred_language="uk")
    _notify_at(at(7, 14), [person], django_capture_on_commit_callbacks)
    _notify_at(at(8, 14), [person], django_capture_on_commit_callbacks)
    _notify_at(at(9, 14), [person], django_capture_on_commit_callbacks)
    # The job did not run on the 8th and the 9th.
    assert notification_digests_send(now=at(10, 7)) == 1
    digest = mail.outbox[0]
    assert digest.subject == "Partnernet: ваші сповіщення"
    assert digest.body.startswith("У вас 3 нові сповіщення в Partnernet:")
    assert digest.body.count("- Запропоновано партнера") == 3
    assert "/uk/grants/" in digest.body


def test_a_notification_written_after_now_is_left_for_the_next_run(
    django_capture_on_commit_callbacks,
):
    person = _daily()
    _notify_at(at(8, 10), [person], django_capture_on_commit_callbacks)
    assert notification_digests_send(now=at(8, 9)) == 0
    assert Notification.objects.exclude(kind=DEMO).get().email_due


def test_a_failed_immediate_mail_is_sent_again_once(django_capture_on_commit_callbacks, settings):
    person = UserFactory(preferred_language="en")
    settings.EMAIL_BACKEND = "partnernet.notifications.tests.test_services.RaisingBackend"
    _notify_at(at(8, 10), [person], django_capture_on_commit_callbacks)
    assert Notification.objects.exclude(kind=DEMO).get().email_due
    assert notification_digests_send(now=at(8, 11)) == 0  # the server is still down
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notification_digests_send(now=at(8, 10)) == 0  # too fresh to retry
    assert notification_digests_send(now=at(8, 11)) == 1
    assert notification_digests_send(now=at(8, 12)) == 0
    assert [m.subject for m in mail.outbox] == ["A partner has been proposed"]
    assert Notification.objects.exclude(kind=DEMO).get().emailed_at is not None


def test_a_digest_that_fails_stays_owed(django_capture_on_commit_callbacks, settings):
    person = _daily()
    _notify_at(at(7, 14), [person], django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "partnernet.notifications.tests.test_services.RaisingBackend"
    assert notification_digests_send(now=at(8, 7)) == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notification_digests_send(now=at(8, 8)) == 1  # the same day: the first went nowhere


def test_a_person_who_turned_e_mail_off_is_owed_nothing(django_capture_on_commit_callbacks):
    person = _daily()
    _notify_at(at(7, 14), [person], django_capture_on_commit_callbacks)
    NotificationPreference.objects.filter(user=person).update(email=EmailFrequency.NEVER)
    assert notification_digests_send(now=at(8, 7)) == 0
    NotificationPreference.objects.filter(user=person).update(email=EmailFrequency.DAILY)
    assert notification_digests_send(now=at(9, 7)) == 0
    assert mail.outbox == []


def test_an_inactive_person_gets_no_digest(django_capture_on_commit_callbacks):
    person = _daily()
    _notify_at(at(7, 14), [person], django_capture_on_commit_callbacks)
    type(person).objects.filter(pk=person.pk).update(is_active=False)
    assert notification_digests_send(now=at(8, 7)) == 0
    assert mail.outbox == []


def test_the_command_sends_the_digests(django_capture_on_commit_callbacks, capsys):
    person = _daily()
    _notify_at(at(7, 14), [person], django_capture_on_commit_callbacks)
    with time_machine.travel(at(8, 7), tick=False):
        call_command("send_digests")
        call_command("send_digests")
    assert len(mail.outbox) == 1
    assert capsys.readouterr().out.splitlines() == ["1 e-mail(s) sent", "0 e-mail(s) sent"]
