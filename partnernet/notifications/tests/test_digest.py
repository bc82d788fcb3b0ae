"""The daily digest and the retry of failed e-mails: idempotent, a missed day caught up, one
digest a day at most, in the reader's language (the clock moved with time-machine). A digest
run hands its e-mails to the outbox; their jobs send them after its commit (`digests` below
runs them, as the worker or the in-process path does)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext_noop

from partnernet.accounts.notify import Message, notify
from partnernet.accounts.tests.factories import UserFactory
from partnernet.jobs.services import jobs_run_due
from partnernet.notifications.demo import DEMO_KIND as DEMO
from partnernet.notifications.models import (
    EmailFrequency,
    Notification,
    NotificationPreference,
    OutgoingEmail,
)
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


def digests(now: datetime, capture) -> int:
    """A digest run and, after its commit, the jobs of the e-mails it handed over."""
    with capture(execute=True):
        return notification_digests_send(now=now)


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
    assert digests(at(8, 7), django_capture_on_commit_callbacks) == 1
    assert digests(at(8, 7), django_capture_on_commit_callbacks) == 0  # the same run again
    assert digests(at(8, 9), django_capture_on_commit_callbacks) == 0  # later the same day
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
    assert digests(at(8, 7), django_capture_on_commit_callbacks) == 1
    _notify_at(at(8, 8), [person], django_capture_on_commit_callbacks)
    assert digests(at(8, 20), django_capture_on_commit_callbacks) == 0
    assert digests(at(9, 7), django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 2


def test_a_missed_day_is_caught_up_in_one_digest_in_the_readers_language(
    django_capture_on_commit_callbacks,
):
    person = _daily(preferred_language="uk")
    _notify_at(at(7, 14), [person], django_capture_on_commit_callbacks)
    _notify_at(at(8, 14), [person], django_capture_on_commit_callbacks)
    _notify_at(at(9, 14), [person], django_capture_on_commit_callbacks)
    # The job did not run on the 8th and the 9th.
    assert digests(at(10, 7), django_capture_on_commit_callbacks) == 1
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
    assert digests(at(8, 9), django_capture_on_commit_callbacks) == 0
    assert Notification.objects.exclude(kind=DEMO).get().email_due


def test_a_failed_immediate_mail_is_sent_again_once_by_its_job(
    django_capture_on_commit_callbacks, settings
):
    person = UserFactory(preferred_language="en")
    settings.EMAIL_BACKEND = "partnernet.notifications.tests.test_services.RaisingBackend"
    _notify_at(at(8, 10), [person], django_capture_on_commit_callbacks)
    row = Notification.objects.exclude(kind=DEMO).get()
    assert not row.email_due and row.emailed_at is None  # its e-mail waits in the outbox
    assert digests(at(8, 11), django_capture_on_commit_callbacks) == 0  # not the digest's
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert jobs_run_due(now=at(8, 10)) == 0  # its backoff (30 s) has not passed
    assert jobs_run_due(now=at(8, 11)) == 1
    assert jobs_run_due(now=at(9, 12)) == 0
    assert digests(at(9, 12), django_capture_on_commit_callbacks) == 0
    assert [m.subject for m in mail.outbox] == ["A partner has been proposed"]
    assert Notification.objects.exclude(kind=DEMO).get().emailed_at is not None


def test_an_old_notification_still_owed_to_an_immediate_reader_is_e_mailed_once(
    django_capture_on_commit_callbacks,
):
    """Owed from before the outbox (or set by hand): the digest run hands it over after
    `RETRY_AFTER`, once."""
    person = UserFactory(preferred_language="en")
    _notify_at(at(8, 10), [person], django_capture_on_commit_callbacks)
    mail.outbox.clear()
    Notification.objects.filter(recipient=person).update(
        email_due=True, emailed_at=None, outgoing=None
    )
    assert digests(at(8, 10), django_capture_on_commit_callbacks) == 0  # too fresh
    assert digests(at(8, 11), django_capture_on_commit_callbacks) == 1
    assert digests(at(8, 12), django_capture_on_commit_callbacks) == 0
    assert [m.subject for m in mail.outbox] == ["A partner has been proposed"]


def test_a_digest_the_mail_server_refuses_is_sent_later_once(
    django_capture_on_commit_callbacks, settings
):
    person = _daily(preferred_language="en")
    _notify_at(at(7, 14), [person], django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "partnernet.notifications.tests.test_services.RaisingBackend"
    assert digests(at(8, 7), django_capture_on_commit_callbacks) == 1  # handed over, refused
    assert mail.outbox == []
    email = OutgoingEmail.objects.get(recipient=person)
    assert email.sent_at is None and email.job.attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digests(at(8, 8), django_capture_on_commit_callbacks) == 0  # today's is on its way
    assert jobs_run_due(now=timezone.now() + timedelta(minutes=1)) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Partnernet: your notifications"
    assert not Notification.objects.filter(recipient=person, emailed_at__isnull=True).exists()


def test_a_person_who_turned_e_mail_off_is_owed_nothing(django_capture_on_commit_callbacks):
    person = _daily()
    _notify_at(at(7, 14), [person], django_capture_on_commit_callbacks)
    NotificationPreference.objects.filter(user=person).update(email=EmailFrequency.NEVER)
    assert digests(at(8, 7), django_capture_on_commit_callbacks) == 0
    NotificationPreference.objects.filter(user=person).update(email=EmailFrequency.DAILY)
    assert digests(at(9, 7), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_an_inactive_person_gets_no_digest(django_capture_on_commit_callbacks):
    person = _daily()
    _notify_at(at(7, 14), [person], django_capture_on_commit_callbacks)
    type(person).objects.filter(pk=person.pk).update(is_active=False)
    assert digests(at(8, 7), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_the_command_sends_the_digests(django_capture_on_commit_callbacks, capsys):
    person = _daily()
    _notify_at(at(7, 14), [person], django_capture_on_commit_callbacks)
    with time_machine.travel(at(8, 7), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_digests")
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_digests")
    assert len(mail.outbox) == 1
    assert capsys.readouterr().out.splitlines() == ["1 e-mail(s) sent", "0 e-mail(s) sent"]
