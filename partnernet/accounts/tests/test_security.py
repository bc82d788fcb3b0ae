"""Headers on every HTML response, and bad input answered with a translated 4xx, never a 500."""

import pytest
from django.test import Client

from partnernet.accounts.urlcheck import is_exempt, walk

pytestmark = pytest.mark.django_db
PAGES = [
    "/sv/",
    "/uk/partnerships/",
    "/en/partnerships/falun-kolomyia/",
    "/en/municipalities/?q=Херсон",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/en/does-not-exist/",
]


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp and "style-src 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", PAGES)
def test_security_headers_on_html_pages(client, url):
    response = client.get(url)
    assert response["Content-Type"].startswith("text/html")
    assert_security_headers(response)


def test_every_parameterless_page_has_the_headers(client):
    for route in walk():
        if route.kwargs or is_exempt(route) or route.methods:
            continue
        response = client.get(route.path({}))
        assert response.status_code < 500, route.route
        assert_security_headers(response)


def test_strict_transport_security_in_production(client, settings):
    settings.DEBUG = False
    assert client.get("/sv/")["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize(
    "url", ["/en/municipalities/?q=a%00b", "/en/partnerships/?q=%01", "/accounts/login/?next=%00"]
)
def test_control_characters_in_the_query_are_a_400(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_control_characters_in_a_form_are_a_400(client):
    response = client.post("/accounts/login/", {"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400


def test_an_oversized_body_is_a_413(client):
    response = client.post(
        "/accounts/login/",
        data=b"x" * 10,
        content_type="text/plain",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413


def test_too_many_fields_is_a_400_not_a_500(client):
    data = {f"f{n}": "x" for n in range(3000)}
    assert client.post("/accounts/login/", data).status_code == 400


def test_a_broken_multipart_body_is_a_400(client):
    response = client.generic(
        "POST",
        "/accounts/login/",
        b"--xx\r\nbroken",
        content_type="multipart/form-data; boundary=xx",
    )
    assert response.status_code == 400


def test_a_wrong_content_type_on_a_form_is_refused_politely(client):
    response = client.post(
        "/accounts/login/", data='{"email": "x"}', content_type="application/json"
    )
    assert response.status_code == 400


def test_a_csrf_failure_is_a_translated_403():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="sv")
    response = client.post("/accounts/login/", {"email": "a@example.org", "password": "x"})
    assert response.status_code == 403
    assert "Åtkomst nekad" in response.content.decode()
    assert_security_headers(response)


def test_the_404_page_is_translated(client):
    response = client.get("/uk/no-such-page/")
    assert response.status_code == 404
    assert "За цією адресою немає сторінки." in response.content.decode()


def test_a_500_is_a_plain_page_without_details(client):
    from django.test import RequestFactory

    from partnernet.core.errors import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and b"Traceback" not in response.content
