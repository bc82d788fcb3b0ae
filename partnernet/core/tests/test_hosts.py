"""A Host we do not serve gets a plain, translated 400: never a 500, never a traceback in the
log (scanners send such requests by the thousand)."""

import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
PATHS = ["/en/", "/uk/partnerships/", "/healthz", "/api/v1/goals", "/accounts/login/", "/nope"]


def evil() -> Client:
    return Client(HTTP_HOST="evil.example", raise_request_exception=False)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["get", "head", "post"])
def test_a_disallowed_host_is_a_400(path, method, caplog):
    caplog.set_level(logging.INFO)
    response = getattr(evil(), method)(path)
    assert response.status_code == 400
    assert b"Traceback" not in response.content
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], [
        (r.name, r.getMessage()) for r in caplog.records
    ]


def test_the_400_page_speaks_the_language_of_the_address_or_the_browser():
    ukrainian = evil().get("/uk/partnerships/").content.decode()
    swedish = evil().get("/healthz", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    english = evil().get("/en/").content.decode()
    assert "This site is not served at the address you asked for" in english
    assert "Цей сайт не обслуговує адресу" in ukrainian
    assert "Den här webbplatsen finns inte på adressen" in swedish


def test_behind_the_https_redirect_a_disallowed_host_is_still_a_400(settings, caplog):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    caplog.set_level(logging.INFO)
    response = evil().get("/en/")
    assert response.status_code == 400
    assert "This site is not served" in response.content.decode()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_allowed_hosts_are_served():
    assert Client(HTTP_HOST="localhost").get("/en/").status_code == 200
