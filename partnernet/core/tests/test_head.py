"""Every GET route answers HEAD with the GET's status and headers and no body.

The walk covers every URL pattern and django-ninja operation (`accounts.urlcheck.walk`), for
people with different rights; requests go through Django's real WSGI handler (the test client
would drop a HEAD body itself and hide a middleware that forgot to)."""

import io
from http.cookies import SimpleCookie

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory

from partnernet.accounts.models import User
from partnernet.accounts.urlcheck import walk
from partnernet.partnerships.models import Partnership

pytestmark = pytest.mark.django_db
PEOPLE = [None, "falun@demo.example", "officer@icld.example"]


def sample_values(route) -> dict:
    own = Partnership.objects.get(slug="falun-kolomyia")
    values = {
        "slug": own.slug,
        "code": "2080",
        "name": "partnerships",
        "object_type": "partnerships.partnership",
        "app_label": "partnerships",
    }
    return {kwarg: values.get(kwarg, own.pk) for kwarg in route.kwargs}


def serve(method: str, path: str, cookie: str) -> tuple[int, dict, bytes]:
    """One request through the WSGI handler, as gunicorn would make it."""
    environ = RequestFactory()._base_environ(
        PATH_INFO=path, REQUEST_METHOD=method, HTTP_COOKIE=cookie, HTTP_ACCEPT_LANGUAGE="en"
    )
    environ["wsgi.input"] = io.BytesIO(b"")
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = int(status.split()[0]), dict(headers)

    # Like the test client: keep the test's database connection open across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = WSGIHandler()(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["status"], started["headers"], body


def session_cookie(email: str | None) -> str:
    if email is None:
        return ""
    client = Client()
    client.force_login(User.objects.get(email=email))
    cookies = SimpleCookie()
    for name, morsel in client.cookies.items():
        cookies[name] = morsel.value
    return cookies.output(header="", sep=";").strip()


def test_every_get_route_answers_head_like_get():
    paths = sorted({route.path(sample_values(route)) for route in walk()})
    assert len(paths) > 100  # the walk found the routes
    mismatches, ok = [], 0
    for email in PEOPLE:
        cookie = session_cookie(email)
        for path in paths:
            get_status, get_headers, _body = serve("GET", path, cookie)
            head_status, head_headers, head_body = serve("HEAD", path, cookie)
            same_type = get_headers.get("Content-Type") == head_headers.get("Content-Type")
            if head_status != get_status or head_body != b"" or not same_type:
                mismatches.append((email, path, get_status, head_status, len(head_body)))
            elif get_status == 200:
                ok += 1
    assert mismatches == []
    assert ok >= 60  # many routes answered 200 to both: the comparison was not all redirects


def test_head_of_a_page_keeps_the_get_headers_and_length():
    status, headers, body = serve("GET", "/en/partnerships/falun-kolomyia/", "")
    head_status, head_headers, head_body = serve("HEAD", "/en/partnerships/falun-kolomyia/", "")
    assert status == head_status == 200 and head_body == b""
    assert int(head_headers["Content-Length"]) == len(body)
    assert head_headers["Content-Security-Policy"]


def test_head_of_a_streamed_download_runs_no_generator():
    status, headers, body = serve("GET", "/open-data/partnerships.csv", "")
    head_status, head_headers, head_body = serve("HEAD", "/open-data/partnerships.csv", "")
    assert status == head_status == 200 and body and head_body == b""
    assert head_headers["Content-Type"] == headers["Content-Type"] == "text/csv; charset=utf-8"


def test_head_of_an_api_read_is_head_of_the_get():
    status, headers, body = serve("GET", "/api/v1/goals", "")
    head_status, head_headers, head_body = serve("HEAD", "/api/v1/goals", "")
    assert status == head_status == 200 and head_body == b""
    assert head_headers["ETag"] == headers["ETag"]
