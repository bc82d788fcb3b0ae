from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from partnernet.accounts.models import SessionRecord

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


CACHED_DB = "django.contrib.sessions.backends.cached_db"  # with CACHE_URL (several servers)


@pytest.mark.parametrize("engine", [None, CACHED_DB], ids=["database", "cached-database"])
def test_a_session_ends_after_thirty_minutes_idle(client, settings, engine):
    if engine:  # a copy cached in front of the database must end with it
        settings.SESSION_ENGINE = engine
    person = UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.login(email=person.email, password=PASSWORD)
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/accounts/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get("/accounts/").status_code == 200  # 29 minutes after the last request
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        response = client.get("/accounts/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_session_ends_after_twelve_hours_however_active(client):
    person = UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.login(email=person.email, password=PASSWORD)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/accounts/").status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
        assert client.get("/accounts/").status_code == 302


def test_a_person_sees_their_sessions_and_ends_them_all(client):
    from django.test import Client

    person = UserFactory()
    other = Client()
    other.login(email=person.email, password=PASSWORD)
    client.login(email=person.email, password=PASSWORD)
    page = client.get("/accounts/")
    assert len(page.context["sessions"]) == 2
    response = client.post("/accounts/sessions/end/")
    assert response.status_code == 302
    assert SessionRecord.objects.filter(user=person).count() == 0
    assert other.get("/accounts/").status_code == 302
    assert client.get("/accounts/").status_code == 302


def test_ending_every_session_also_ends_those_the_cache_still_holds(client, settings):
    from django.test import Client

    settings.SESSION_ENGINE = CACHED_DB
    person = UserFactory()
    other = Client()
    other.login(email=person.email, password=PASSWORD)
    client.login(email=person.email, password=PASSWORD)
    assert other.get("/accounts/").status_code == 200  # read once: now in the cache too
    response = client.post("/accounts/sessions/end/")
    assert response.status_code == 302
    assert other.get("/accounts/").status_code == 302
    assert client.get("/accounts/").status_code == 302
