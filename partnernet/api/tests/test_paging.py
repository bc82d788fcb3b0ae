"""Paged lists through ninja's pagination keep the contract's page shape; the rate limit is
ninja's throttle with our key, its per-request state kept per thread."""

import threading

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from partnernet.api.api import ClientRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def test_a_page_size_over_100_is_refused():
    assert Client().get("/api/v1/partnerships", {"page_size": 101}).status_code == 422
    assert Client().get("/api/v1/municipalities", {"page": 0}).status_code == 422


def test_past_the_last_page_is_empty_without_links():
    body = Client().get("/api/v1/partnerships", {"page": 9, "page_size": 4}).json()
    assert body == {
        "count": 6,
        "page": 9,
        "page_size": 4,
        "pages": 2,
        "next": None,
        "previous": None,
        "next_cursor": None,  # keyset continuation (test_cursor): none past the end
        "results": [],
    }


def test_links_keep_the_other_parameters():
    body = Client().get("/api/v1/municipalities", {"country": "SE", "page_size": 100}).json()
    assert body["pages"] == 4 and body["previous"] is None  # 290 kommuner and 21 regions
    assert body["next"] == "http://testserver/api/v1/municipalities?country=SE&page_size=100&page=2"


def test_the_throttle_keeps_each_threads_key_apart(settings):
    settings.API_RATE_LIMIT = "5/min"
    throttle = ClientRateThrottle()
    here = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
    there = RequestFactory().get("/", REMOTE_ADDR="192.0.2.2")
    assert throttle.allow_request(here)
    thread = threading.Thread(target=throttle.allow_request, args=(there,))
    thread.start()
    thread.join()
    assert throttle.key == "api-rate:ip:192.0.2.1" and len(throttle.history) == 1
    assert len(cache.get("api-rate:ip:192.0.2.2")) == 1
