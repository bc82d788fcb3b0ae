"""A database outage answers 503 "try again in a minute" (issue 15), drawn without the database.

The database cursor is the boundary broken here (as in test_health): every query the request
makes, the session's and the signed-in person's included, fails as a stopped PostgreSQL does.
The drill with a real stopped cluster is test_database_outage_drill.
"""

import json
import socket
import time
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connections
from django.test import Client, RequestFactory
from django.utils.functional import SimpleLazyObject

from partnernet.core import errors
from partnernet.core.views import database_is_up
from partnernet.lib.outage import is_database_outage
from partnernet.lib.testing_services import RedisServer, free_port, missing_programs, running
from partnernet.settings import parse_database_url

CURSOR = "django.db.backends.base.base.BaseDatabaseWrapper.cursor"
PAGE_TEXT = {
    "sv": ("Tjänsten är inte tillgänglig", "Försök igen om en minut."),
    "uk": ("Сервіс недоступний", "Спробуйте ще раз за хвилину."),
    "en": ("Service unavailable", "Please try again in a minute."),
}


def database_down(error=None):
    return mock.patch(CURSOR, side_effect=error or OperationalError("connection refused"))


def outside_client() -> Client:
    """A client that gets the response the site sends, as a browser would, not the exception."""
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_an_error_that_is_not_an_outage_stays_a_500():
    with database_down(RuntimeError("a bug")):
        response = outside_client().get("/en/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert not is_database_outage(RuntimeError("a bug"))
    assert not is_database_outage(None)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "uk", "en"])
def test_a_page_answers_503_in_the_language_of_its_address(language):
    with database_down():
        response = outside_client().get(f"/{language}/partnerships/falun-kolomyia/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    title, advice = PAGE_TEXT[language]
    assert f'<html lang="{language}">' in html
    assert title in html and advice in html
    assert "Traceback" not in html


@pytest.mark.django_db
def test_an_outage_met_in_the_middleware_of_a_signed_in_person_is_a_503(django_user_model):
    """The session and the person are read by middleware before any view: the outage there is
    answered the same way, in the address's language, without the person's menu or unread count."""
    client = outside_client()
    client.force_login(django_user_model.objects.get(email="falun@demo.example"))
    with database_down(InterfaceError("connection already closed")):
        response = client.get("/uk/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "Сервіс недоступний" in html
    assert "falun@demo.example" not in html


def test_the_page_is_drawn_without_a_query_and_without_the_person():
    """No django_db mark: any query at all would raise here."""

    def untouchable():
        raise AssertionError("the 503 page must not ask who is signed in")

    request = RequestFactory().get("/sv/partnerships/", HTTP_ACCEPT_LANGUAGE="uk")
    request.user = SimpleLazyObject(untouchable)
    response = errors.unavailable_response(request)
    assert response.status_code == 503
    assert "Tjänsten är tillfälligt otillgänglig. Försök igen om en minut." in (
        response.content.decode()
    )


def test_an_address_without_a_language_uses_the_browsers():
    request = RequestFactory().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="uk,en;q=0.5")
    response = errors.unavailable_response(request)
    assert "Сервіс тимчасово недоступний." in response.content.decode()


@pytest.mark.django_db
def test_the_api_answers_a_503_problem_document_in_the_asked_language():
    with database_down():
        response = outside_client().get("/api/v1/partnerships?lang=uk")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json; charset=utf-8"
    assert response["Retry-After"] == "60"
    assert response["Content-Language"] == "uk"
    assert json.loads(response.content) == {
        "type": "about:blank",
        "title": "Сервіс недоступний",
        "status": 503,
        "instance": "/api/v1/partnerships",
        "detail": "Сервіс тимчасово недоступний. Спробуйте ще раз за хвилину.",
    }


@pytest.mark.django_db
def test_the_api_answers_a_problem_document_when_its_middleware_meets_the_outage(
    django_user_model,
):
    """A signed-in session on the API: the person is read before ninja runs the operation."""
    client = outside_client()
    client.force_login(django_user_model.objects.get(email="falun@demo.example"))
    with database_down():
        response = client.get("/api/v1/goals", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/problem+json")
    body = json.loads(response.content)
    assert body["status"] == 503 and body["title"] == "Service unavailable"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "/api/v1/goals"])
def test_an_outage_is_one_warning_line_not_a_traceback(caplog, path):
    refused = OperationalError(
        'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
        "Connection refused\n\tIs the server running on that host and accepting TCP/IP "
        "connections?"
    )
    with database_down(refused), caplog.at_level("WARNING"):
        outside_client().get(path)
    lines = [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    assert [r.getMessage() for r in lines] == [
        f'database unavailable on {path}: connection failed: connection to server at "127.0.0.1", '
        "port 5432 failed: Connection refused Is the server running on that host and accepting "
        "TCP/IP connections?"
    ]
    assert lines[0].exc_info is None


@pytest.mark.django_db
def test_healthz_names_the_part_that_is_down_and_only_redis_down_is_degraded(settings):
    closed = f"redis://127.0.0.1:{free_port()}/0"
    settings.CELERY_BROKER_URL = closed
    response = outside_client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["broker"] == "unavailable"
    assert "cache" not in response.json()  # a per-process cache has nothing to ask
    settings.CACHE_URL = closed
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": closed}
    }
    with database_down():
        response = outside_client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert response["Retry-After"] == "60"
    assert (body["status"], body["database"], body["cache"], body["broker"]) == (
        "unavailable",
        "unavailable",
        "unavailable",
        "unavailable",
    )


@pytest.mark.django_db
def test_healthz_is_ok_with_a_redis_that_answers(settings):
    if missing_programs("redis-server"):
        pytest.skip("redis-server is not installed")
    with running(RedisServer()) as (redis_server,):
        settings.CELERY_BROKER_URL = redis_server.url
        settings.CACHE_URL = redis_server.url
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_server.url,
            }
        }
        body = outside_client().get("/healthz").json()
    assert (body["status"], body["database"], body["cache"], body["broker"]) == (
        "ok",
        "ok",
        "ok",
        "ok",
    )


def test_a_database_that_never_answers_is_down_within_the_connect_timeout(django_db_blocker):
    """A server that accepts the connection and then says nothing (a hung or black-holed host):
    the health check gives up after connect_timeout (2 s), not after the kernel's minutes."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        config = parse_database_url(f"postgres://postgres@127.0.0.1:{port}/nothing")
        alias = "silent_database"
        configured = connections.configure_settings({"default": dict(config), alias: config})
        connections.settings[alias] = configured[alias]
        try:
            with django_db_blocker.unblock():
                started = time.monotonic()
                assert database_is_up(alias) is False
                elapsed = time.monotonic() - started
        finally:
            connections[alias].close()
            del connections.settings[alias]
    assert 1.5 <= elapsed < 3.0, elapsed
