"""The notifications pages: a person only ever reaches their own (404 otherwise), the list is
newest first with a fixed number of queries, following one marks it read, the header's
unread count costs one query; the grants workflow and the queue notify in-app."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnernet.accounts.testing import sign_in
from partnernet.accounts.tests.factories import UserFactory
from partnernet.grants import services as grants_services
from partnernet.grants.tests import factories as grants_factories
from partnernet.jobs.models import JobState
from partnernet.jobs.services import jobs_run_due
from partnernet.matchmaking import services as queue_services
from partnernet.matchmaking.tests import factories as queue_factories
from partnernet.notifications.models import EmailFrequency, Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def _note(person, *, minutes_ago: int = 0, read: bool = False, link: str = "/grants/"):
    created = timezone.now() - timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        recipient=person,
        subject="A partner has been proposed",
        body=["Your Partnernet account"],
        params={},
        link=link,
        created_at=created,
        read_at=created if read else None,
    )


@pytest.fixture
def person():
    return UserFactory(preferred_language="en")


# Negative paths first ------------------------------------------------------------------------
def test_the_public_is_sent_to_sign_in(client):
    for path in ("/en/notifications/", "/en/notifications/settings/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_another_persons_notification_is_not_found_and_stays_unread(client, person):
    theirs = _note(UserFactory())
    sign_in(client, person)
    assert client.get(f"/en/notifications/{theirs.pk}/").status_code == 404
    assert client.get("/en/notifications/999999999/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_read_touches_only_ones_own(client, person):
    mine, theirs = _note(person), _note(UserFactory())
    sign_in(client, person)
    assert client.get("/en/notifications/read/").status_code == 405
    response = client.post("/en/notifications/read/")
    assert response.status_code == 302 and response["Location"] == "/en/notifications/"
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_a_bad_preference_is_refused_with_a_message_and_nothing_saved(client, person):
    sign_in(client, person)
    response = client.post("/en/notifications/settings/", {"email": "hourly"})
    assert response.status_code == 400
    assert "Please choose one of the options." in response.content.decode()
    response = client.post("/en/notifications/settings/", {})
    assert "Please choose how often you want e-mail." in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_bad_page_number_shows_a_page(client, person):
    _note(person)
    sign_in(client, person)
    for page in ("x", "0", "999"):
        assert client.get(f"/en/notifications/?page={page}").status_code == 200


def test_a_failing_mail_server_does_not_fail_the_request(
    client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "partnernet.notifications.tests.test_services.RaisingBackend"
    network, (_se, ua) = queue_factories.network(), queue_factories.pair()
    coordinator = queue_factories.coordinator(ua, preferred_language="uk")
    entry = queue_services.queue_entry_join(
        municipality=ua, network=network, actor=None, reason="r"
    )
    sign_in(client, queue_factories.officer())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/queue/{network.slug}/entries/{entry.pk}/move/",
            {"stage": "withdrawn", "reason": "No capacity this year"},
            follow=True,
        )
    assert response.status_code == 200
    row = Notification.objects.get(recipient=coordinator)
    assert not row.email_due and row.emailed_at is None and mail.outbox == []
    # Its e-mail waits in the outbox; its job is tried again after the backoff.
    assert row.outgoing.sent_at is None and row.outgoing.body
    assert (row.outgoing.job.state, row.outgoing.job.attempts) == (JobState.PENDING, 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert jobs_run_due(now=timezone.now() + timedelta(hours=1)) >= 1
    row.refresh_from_db()
    assert row.emailed_at is not None and [m.to for m in mail.outbox] == [[coordinator.email]]


# The pages -----------------------------------------------------------------------------------
def test_the_list_is_newest_first_marks_the_unread_and_follows_into_the_page(client, person):
    old = _note(person, minutes_ago=60, read=True, link="/calls/")
    new = _note(person, minutes_ago=1)
    sign_in(client, person)
    page = client.get("/en/notifications/").content.decode()
    assert page.index(f"/en/notifications/{new.pk}/") < page.index(f"/en/notifications/{old.pk}/")
    assert page.count('class="notification unread"') == 1
    assert 'aria-label="Notifications, 1 unread"' in page
    response = client.get(f"/en/notifications/{new.pk}/")
    assert response.status_code == 302 and response["Location"] == "/en/grants/"
    new.refresh_from_db()
    assert new.read_at is not None
    # In Ukrainian, the reader's language, the link keeps the reader's prefix.
    assert client.get(f"/uk/notifications/{old.pk}/")["Location"] == "/uk/calls/"


def test_the_header_says_how_many_are_unread_in_each_language(client, person):
    for _ in range(3):
        _note(person)
    sign_in(client, person)
    wanted = {
        "en": "Notifications, 3 unread",
        "sv": "Aviseringar, 3 olästa",
        "uk": "Сповіщення, 3 непрочитані",
    }
    for code, label in wanted.items():
        assert f'aria-label="{label}"' in client.get(f"/{code}/me/").content.decode()


def test_the_preference_is_saved(client, person):
    sign_in(client, person)
    response = client.post("/en/notifications/settings/", {"email": EmailFrequency.DAILY})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=person).email == EmailFrequency.DAILY
    page = client.get("/en/notifications/settings/").content.decode()
    assert re.search(r'<input type="radio" name="email" value="daily"[^>]* checked', page)


# Query counts --------------------------------------------------------------------------------
def _queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_the_list_reads_a_fixed_number_of_queries(client, person, django_assert_max_num_queries):
    sign_in(client, person)
    _note(person)
    few = len(_queries(client, "/en/notifications/"))
    for minutes in range(40):
        _note(person, minutes_ago=minutes)
    assert len(_queries(client, "/en/notifications/")) == few
    with django_assert_max_num_queries(7):
        client.get("/en/notifications/")


def test_the_header_count_is_one_query(client, person):
    for _ in range(5):
        _note(person)
    sign_in(client, person)
    counted = [sql for sql in _queries(client, "/en/me/") if '"notifications_notification"' in sql]
    assert len(counted) == 1 and "COUNT(" in counted[0].upper()


# Everything that already calls notify tells people in-app too ---------------------------------
def test_a_queue_move_notifies_the_coordinator_in_app(django_capture_on_commit_callbacks):
    network, (_se, ua) = queue_factories.network(), queue_factories.pair()
    coordinator = queue_factories.coordinator(ua, preferred_language="uk")
    queue_services.queue_entry_join(municipality=ua, network=network, actor=None, reason="r")
    with django_capture_on_commit_callbacks(execute=True):
        queue_services.queue_entry_move(
            municipality=ua, network=network, stage="withdrawn", actor=None, reason="No capacity"
        )
    row = Notification.objects.get(recipient=coordinator)
    assert row.kind == "matchmaking" and row.emailed_at is not None
    assert row.subject == "Your place in the queue has changed"
    assert row.params["uk"]["reason"] == "No capacity"
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Ваше місце в черзі змінилося"


def test_a_grants_step_notifies_both_sides_in_app(django_capture_on_commit_callbacks):
    call = grants_factories.call()
    application, writer = grants_factories.complete_application(call)
    before = set(Notification.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        grants_services.application_submit(application_id=application.pk, actor=writer)
    # Submitting also moves the pair in the queue (its own notification).
    row = Notification.objects.exclude(pk__in=before).get(recipient=writer, kind="grants")
    assert row.kind == "grants" and row.link == f"/grants/applications/{application.pk}/"
    assert row.body[0] == "The application was submitted."
