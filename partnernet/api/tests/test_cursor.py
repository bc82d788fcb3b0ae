"""Keyset pagination of /api/v1/partnerships: `next_cursor` beside the numbered pages, `cursor`
continuing right after an item, and a clear 400 problem for any cursor that cannot be used."""

import base64

import pytest
from django.core.cache import cache
from django.test import Client

from partnernet.api.pagination import decode_cursor, encode_cursor
from partnernet.api.problems import InvalidCursor
from partnernet.partnerships.models import Partnership

from .factories import partnership

pytestmark = pytest.mark.django_db

# The six seed pairs by Swedish title (the default order), written out by hand.
SEED_BY_TITLE = [
    "falun-kolomyia",
    "karlskrona-chortkiv",
    "lidingo-slavuta",
    "ronneby-ternopil",
    "umea-kherson",
    "vaxjo-kalush",
]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def get(params):
    return Client().get("/api/v1/partnerships", params)


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def first_page_cursor(**params) -> str:
    return get({"page_size": 2, "lang": "sv", **params}).json()["next_cursor"]


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "a",
        b64(b"not json"),
        b64(b'{"after": 1}'),
        b64(b'["1", "abc"]'),
        b64(b'[true, "abc"]'),
        b64(b"[1, 2]"),
        b64(b'[1, "abc", 3]'),
        b64(b"\xff\xfe"),
    ],
)
def test_a_malformed_cursor_is_a_400_problem(cursor):
    response = get({"cursor": cursor, "lang": "en"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["title"] == "Invalid cursor" and body["reason"] == "malformed"


def test_the_problem_is_in_the_readers_language():
    body = get({"cursor": "!!!", "lang": "sv"}).json()
    assert body["status"] == 400 and body["title"] == "Ogiltig markör"
    assert get({"cursor": "!!!", "lang": "uk"}).json()["title"] == "Недійсний курсор"


def test_a_cursor_made_for_other_filters_is_refused():
    cursor = first_page_cursor()
    for other in ({"sort": "-start"}, {"lang": "en"}, {"area": "education"}, {"q": "kherson"}):
        body = get({"page_size": 2, "lang": "sv", "cursor": cursor, **other}).json()
        assert body["status"] == 400 and body["reason"] == "other-filters", other


def test_a_cursor_whose_item_is_no_longer_listed_is_stale():
    cursor = first_page_cursor()
    assert decode_cursor(cursor)[0] == Partnership.objects.get(slug=SEED_BY_TITLE[1]).pk
    Partnership.objects.filter(slug=SEED_BY_TITLE[1]).update(publication="withdrawn")
    body = get({"page_size": 2, "lang": "sv", "cursor": cursor}).json()
    assert body["status"] == 400 and body["reason"] == "stale"


def test_a_cursor_naming_an_unknown_id_is_stale_not_a_500():
    scope = decode_cursor(first_page_cursor())[1]
    body = get({"page_size": 2, "lang": "sv", "cursor": encode_cursor(10**12, scope)}).json()
    assert body["status"] == 400 and body["reason"] == "stale"


def test_decode_refuses_what_encode_never_makes():
    with pytest.raises(InvalidCursor):
        decode_cursor(b64(b'[1.5, "x"]'))
    assert decode_cursor(encode_cursor(42, "abc")) == (42, "abc")


def test_walking_the_cursors_lists_every_item_once_in_order():
    params = {"page_size": 4, "lang": "sv"}
    first = get(params).json()
    assert first["count"] == 6 and first["page"] == 1 and first["next_cursor"]
    assert first["next"].endswith("page=2")  # numbered pages keep working beside the cursor
    second = get({**params, "cursor": first["next_cursor"]}).json()
    assert [p["slug"] for p in first["results"] + second["results"]] == SEED_BY_TITLE
    assert second["next_cursor"] is None and second["next"] is None
    assert second["previous"] is None and second["page"] == 2 and second["count"] == 6


def test_the_cursor_link_continues_and_drops_page():
    first = get({"page_size": 2, "lang": "sv", "page": 1}).json()
    second = Client().get(first["next"].split("testserver")[1]).json()  # numbered
    via_cursor = get({"page_size": 2, "lang": "sv", "cursor": first["next_cursor"]}).json()
    assert via_cursor["results"] == second["results"]
    assert "page=" not in via_cursor["next"] and "cursor=" in via_cursor["next"]
    third = Client().get(via_cursor["next"].split("testserver")[1]).json()
    assert [p["slug"] for p in third["results"]] == SEED_BY_TITLE[4:]


def test_a_write_before_the_cursor_neither_repeats_nor_skips():
    cursor = first_page_cursor()  # after SEED_BY_TITLE[1]
    partnership(slug="aaa-first", title="Aaaa first of all")  # sorts before every seed pair
    body = get({"page_size": 2, "lang": "sv", "cursor": cursor}).json()
    assert [p["slug"] for p in body["results"]] == SEED_BY_TITLE[2:4]
    assert body["count"] == 7


def test_a_filtered_list_takes_its_own_cursors():
    everything = get({"page_size": 100, "lang": "sv", "sort": "-start"}).json()["results"]
    first = get({"page_size": 1, "lang": "sv", "sort": "-start"}).json()
    rest = get({"page_size": 100, "lang": "sv", "sort": "-start", "cursor": first["next_cursor"]})
    assert first["results"] + rest.json()["results"] == everything


def test_queries_per_request_are_the_same_on_a_deep_cursor_page(django_assert_num_queries):
    for _ in range(3):
        partnership()
    get({"page_size": 1})  # the public index is read once per data version
    cursor = get({"page_size": 1, "page": 1}).json()["next_cursor"]
    for n in range(4):
        cursor_body = None
        # data version, one page of rows with its relations: the same on every page
        with django_assert_num_queries(PAGE_QUERIES):
            cursor_body = get({"page_size": 1, "cursor": cursor}).json()
        cursor = cursor_body["next_cursor"]
        assert cursor, n
    with django_assert_num_queries(PAGE_QUERIES):
        get({"page_size": 1, "page": 8})


PAGE_QUERIES = 4  # data version; one page of rows; its goals; its tags
