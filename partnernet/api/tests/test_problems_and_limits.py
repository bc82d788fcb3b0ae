"""Every API error is a problem document (RFC 9457), unknown addresses and methods included;
401 names its scheme; the rate limit gives a bucket to valid tokens only."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from partnernet.api.services import api_token_create, api_token_revoke
from partnernet.partnerships.models import Partnership

from .factories import UserFactory, coordinator_of

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith(PROBLEM), response["Content-Type"]
    body = json.loads(response.content)
    assert body["status"] == status and body["type"] == "about:blank" and body["title"]
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-thing",
        "/api/v1/partnerships/falun-kolomyia/no-such-part",
        "/api/v1/me/nothing-here",
        "/api/v1/partnerships/does-not-exist",
        "/api/v1/municipalities/9999",
    ],
)
def test_an_unknown_api_address_is_a_problem_not_a_page(path):
    body = assert_problem(Client().get(path), 404)
    assert body["instance"] == path


def test_the_404_problem_is_in_the_readers_language():
    body = assert_problem(Client().get("/api/v1/no-such-thing", {"lang": "uk"}), 404)
    english = assert_problem(Client().get("/api/v1/no-such-thing", {"lang": "en"}), 404)
    assert body["title"] != english["title"] and body["detail"] != english["detail"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("post", "/api/v1/goals", "GET"),
        ("delete", "/api/v1/partnerships", "GET"),
        ("put", "/api/v1/partnerships/falun-kolomyia", "GET"),
    ],
)
def test_a_method_an_address_does_not_take_is_a_405_problem_with_allow(method, path, allowed):
    response = getattr(Client(), method)(path)
    body = assert_problem(response, 405)
    assert allowed in response["Allow"].split(", ")
    assert method.upper() in body["detail"]


def test_401_says_how_to_authenticate():
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer pn_made-up-token"}):
        response = Client().get("/api/v1/me/partnerships", **headers)
        assert_problem(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer ")


def test_the_pages_outside_the_api_keep_their_html_404():
    response = Client().get("/en/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def statuses(client, count, **headers):
    return [client.get("/api/v1/goals", **headers).status_code for _ in range(count)]


def test_made_up_tokens_get_no_fresh_bucket(settings):
    settings.API_RATE_LIMIT = "3/min"
    client = Client()
    assert statuses(client, 3) == [200, 200, 200]
    for n in range(5):  # a new invented token on every request: still the same address
        bearer = {"HTTP_AUTHORIZATION": f"Bearer pn_invented{n}"}
        assert statuses(client, 1, **bearer) == [429]
    assert statuses(client, 1, HTTP_AUTHORIZATION="Basic dXNlcjpwdw==") == [429]


def test_a_made_up_token_counts_against_its_address_from_the_first_request(settings):
    settings.API_RATE_LIMIT = "3/min"
    client = Client()
    invented = [
        client.get("/api/v1/goals", HTTP_AUTHORIZATION=f"Bearer pn_x{n}").status_code
        for n in range(3)
    ]
    assert invented == [200, 200, 200]
    assert statuses(client, 1) == [429]  # the address's bucket was the one being used


def test_a_valid_token_has_its_own_bucket_and_a_revoked_one_does_not(settings):
    settings.API_RATE_LIMIT = "3/min"
    person = UserFactory()
    token, raw = api_token_create(user=person, name="script")
    client = Client()
    assert statuses(client, 3) == [200, 200, 200]
    assert statuses(client, 1) == [429]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert statuses(client, 3, **bearer) == [200, 200, 200]
    assert statuses(client, 1, **bearer) == [429]
    api_token_revoke(user=person, token=token)
    cache.clear()
    assert statuses(client, 3) == [200, 200, 200]
    assert statuses(client, 1, **bearer) == [429]  # revoked: back to the address


def test_authenticated_operations_are_limited_per_token(settings):
    settings.API_RATE_LIMIT = "2/min"
    partnership = Partnership.objects.get(slug="falun-kolomyia")
    person = coordinator_of(partnership)
    _token, raw = api_token_create(user=person, name="script")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    codes = [client.get("/api/v1/me/partnerships", **bearer).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    limited = client.get("/api/v1/me/partnerships", **bearer)
    assert_problem(limited, 429)
    assert int(limited["Retry-After"]) >= 1


def test_behind_a_trusted_proxy_the_limit_is_per_client(settings):
    settings.API_RATE_LIMIT = "2/min"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client = Client(REMOTE_ADDR="10.0.0.5")
    first = {"HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    second = {"HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    assert statuses(client, 3, **first) == [200, 200, 429]
    assert statuses(client, 2, **second) == [200, 200]
    forged = {"HTTP_X_FORWARDED_FOR": "203.0.113.50, 198.51.100.1"}
    assert statuses(client, 1, **forged) == [429]
