"""Fault drill (issue 15.4): the mail server refusing. A real SMTP server on a loopback port
(`testing_services.SmtpServer`) refuses every e-mail while 20 people are told something: the
change commits at once, each e-mail waits in the outbox with its job tried once; when the
server takes mail again the jobs run after their backoff and every e-mail arrives exactly
once. A mail server that hangs: with a broker the page only publishes and answers at once;
without one the page waits `EMAIL_TIMEOUT` for each e-mail it sends after its commit.

The SMTP part runs on both engines (the commit simulated by running the on-commit callbacks);
the broker part starts Redis and a Celery worker and runs on PostgreSQL only."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from partnernet.accounts.notify import Message, notify
from partnernet.accounts.testing import sign_in
from partnernet.accounts.tests.factories import UserFactory
from partnernet.celery import app as celery_app
from partnernet.jobs.models import Job, JobState
from partnernet.jobs.services import jobs_run_due
from partnernet.lib.testing_services import (
    CeleryWorker,
    RedisServer,
    SmtpServer,
    missing_programs,
    running,
    server_environment,
    wait_until,
)
from partnernet.matchmaking import services as queue_services
from partnernet.matchmaking.tests import factories as queue_factories
from partnernet.notifications.models import OutgoingEmail

PEOPLE = 20
PROPOSED = Message(
    subject=gettext_noop("A partner has been proposed"),
    body=gettext_noop("Your Partnernet account"),
    link="/grants/",
)


def _smtp(settings, server: SmtpServer, timeout: int = 10) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = timeout


def _jobs() -> list[Job]:
    return list(Job.objects.filter(name="notifications.send_email"))


@pytest.mark.django_db
@pytest.mark.parametrize("code", [554, 421])
def test_a_refusing_mail_server_loses_nothing_and_doubles_nothing(
    code, settings, django_capture_on_commit_callbacks
):
    people = [UserFactory(email=f"person{n}@hromada.example") for n in range(PEOPLE)]
    with running(SmtpServer(refuse=10**6, code=code)) as (server,):
        _smtp(settings, server)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            assert notify(people, PROPOSED) == PEOPLE
        took = time.monotonic() - started
        # The change and its after-commit work are done; every e-mail was refused once.
        assert took < 5, f"telling {PEOPLE} people took {took:.2f} s"
        assert server.messages() == [] and server.refused == PEOPLE
        jobs = _jobs()
        assert len(jobs) == PEOPLE
        assert {(j.state, j.attempts, j.last_error) for j in jobs} == {
            (JobState.PENDING, 1, "SMTPDataError")
        }
        waiting = OutgoingEmail.objects.filter(sent_at__isnull=True)
        assert waiting.count() == PEOPLE and not waiting.filter(body="").exists()

        # Not due yet: nothing is tried again before the backoff.
        assert jobs_run_due(now=timezone.now()) == 0 and server.refused == PEOPLE
        server.refuse = 0  # the mail server takes mail again
        later = timezone.now() + timedelta(minutes=1)
        assert jobs_run_due(now=later) == PEOPLE
        assert jobs_run_due(now=later + timedelta(hours=2)) == 0  # all done: nothing twice

        received = {to: len(items) for to, items in server.received.items()}
    assert received == {person.email: 1 for person in people}  # 0 lost, 0 doubled
    assert {(j.state, j.attempts) for j in _jobs()} == {(JobState.DONE, 2)}
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()
    assert not OutgoingEmail.objects.exclude(body="").exists()  # no link kept at rest
    print(f"\nmail drill ({code}): {PEOPLE} people told in {took:.3f} s while refused")


def _queue_move_page(client) -> tuple[object, str, dict]:
    """A page that notifies: the officer withdraws a pair from the queue (its coordinator is
    told in-app and by e-mail)."""
    network, (_se, ua) = queue_factories.network(), queue_factories.pair()
    coordinator = queue_factories.coordinator(ua, preferred_language="en")
    entry = queue_services.queue_entry_join(
        municipality=ua, network=network, actor=None, reason="r"
    )
    sign_in(client, queue_factories.officer())
    path = f"/en/queue/{network.slug}/entries/{entry.pk}/move/"
    return coordinator, path, {"stage": "withdrawn", "reason": "No capacity this year"}


@pytest.mark.django_db
def test_without_a_broker_a_hanging_mail_server_holds_the_page_for_email_timeout(
    client, settings, django_capture_on_commit_callbacks
):
    """The in-process path (no broker: the demo) sends after the commit in the request's
    process, so a mail server that never answers holds the page `EMAIL_TIMEOUT` seconds per
    e-mail; the change is kept and the e-mail waits for its retry."""
    coordinator, path, data = _queue_move_page(client)
    with running(SmtpServer(hang=True)) as (server,):
        _smtp(settings, server, timeout=1)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(path, data)
        took = time.monotonic() - started
    assert response.status_code == 302
    assert 1 <= took < 4, took
    email = OutgoingEmail.objects.get(recipient=coordinator)
    assert email.sent_at is None
    assert (email.job.state, email.job.attempts) == (JobState.PENDING, 1)
    assert email.job.last_error in {"TimeoutError", "SMTPServerDisconnected"}
    print(f"\nin-process, hanging mail server, EMAIL_TIMEOUT=1: the page took {took:.2f} s")


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _new_pools() -> None:
    """The Celery app's connection and producer pools, made anew on the next publish."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker(settings):
    """A private Redis as the broker of this process."""
    if missing := missing_programs("redis-server"):
        pytest.skip(f"missing: {missing}")
    with running(RedisServer()) as (redis,):
        previous = celery_app.conf.broker_url
        settings.CELERY_BROKER_URL = redis.url
        celery_app.conf.broker_url = redis.url
        _new_pools()
        try:
            yield redis
        finally:
            _new_pools()
            celery_app.conf.broker_url = previous


@pytest.mark.postgres
@pytest.mark.skipif(not django_settings.IS_POSTGRES, reason="the worker drill needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_with_a_broker_the_page_only_publishes_and_the_worker_sends_later(client, settings, broker):
    coordinator, path, data = _queue_move_page(client)
    with running(SmtpServer(hang=True)) as (hanging,):
        _smtp(settings, hanging, timeout=10)
        started = time.monotonic()
        response = client.post(path, data)  # commits: the job is published to Redis
        took = time.monotonic() - started
        assert response.status_code == 302
        assert took < 1.5, f"the page took {took:.2f} s with a hanging mail server"
    email = OutgoingEmail.objects.get(recipient=coordinator)
    job = email.job
    assert (job.state, job.attempts) == (JobState.PENDING, 0) and job.dispatched_at is not None
    print(f"\nbroker, hanging mail server: the page took {took:.3f} s (publish only)")

    # A worker takes the job from Redis; the mail server refuses once (the task retries with
    # the backoff's countdown), then the e-mail arrives once.
    with running(SmtpServer(refuse=1)) as (smtp,):
        environment = server_environment(
            DATABASE_URL=_database_url(),
            CELERY_BROKER_URL=broker.url,
            REDIS_URL=broker.url,
            EMAIL_URL=smtp.url,
        )
        with running(CeleryWorker(environment)):
            wait_until(
                lambda: OutgoingEmail.objects.filter(pk=email.pk, sent_at__isnull=False).exists(),
                timeout=50,
                what="the worker sends the e-mail after its retry",
            )
        received = {to: len(items) for to, items in smtp.received.items()}
    assert received == {coordinator.email: 1} and smtp.refused == 1
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.DONE, 2)
