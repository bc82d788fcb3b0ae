"""The map's GeoJSON (`/<lang>/map/data.geojson`): counts per municipality and per pair for the
catalogue's filters, the partner kept private left out, validators, bad input, query counts;
and the paginated text alternative of the map's page.

The fixture: the six seed pairs (each municipality once) and, from the factory, Umeå–Kherson
again, Umeå–Kolomyia, a draft Karlskrona–Chortkiv and Stockholm–Kalush with its partner kept
private; all four in education. The expected counts are worked out by hand from that."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnernet.api.tests.factories import partnership
from partnernet.matchmaking.tests.factories import network
from partnernet.partnerships.models import Partnership

from . import geojson

pytestmark = pytest.mark.django_db

UMEA, KHERSON, KOLOMYIA = "2480", "UA65100150000057191", "UA26080070000092582"
KARLSKRONA, CHORTKIV = "1080", "UA61060430000094264"
LIDINGO, SLAVUTA = "0186", "UA68060270000042174"
STOCKHOLM, KALUSH = "0180", "UA26060170000091466"
SEED_CODES = {
    "2080",
    KOLOMYIA,
    KARLSKRONA,
    CHORTKIV,
    LIDINGO,
    SLAVUTA,
    "1081",
    "UA61040490000035010",
    UMEA,
    KHERSON,
    "0780",
    KALUSH,
}


@pytest.fixture
def fixture():
    # one pair per network: the second Umeå–Kherson belongs to another network
    second = network(slug="second-network")
    partnership(swedish=UMEA, partner=KHERSON, slug="umea-kherson-schools", network=second)
    partnership(swedish=UMEA, partner=KOLOMYIA, slug="umea-kolomyia")
    partnership(
        swedish=KARLSKRONA, partner=CHORTKIV, slug="draft-pair", publication="draft", network=second
    )
    partnership(
        swedish=STOCKHOLM, partner=KALUSH, slug="stockholm-kalush", private_fields=["partner"]
    )
    cache.clear()


def test_bad_filters_answer_200_with_their_problems(client, fixture):
    points, lines, collection = geojson.read(
        client, "/en/map/data.geojson?sdg=99&year=abc&sort=x&page=y"
    )
    assert collection["problems"] == ["sdg", "sort", "year"]
    assert collection["partnerships"] == 9  # the bad values are left out, not guessed
    for path in (
        "/en/map/data.geojson?q=%3Cscript%3E&sdg=1,x,17",
        "/en/map/data.geojson?area=" + "x" * 5000,
    ):
        assert client.get(path).status_code == 200


def test_unknown_codes_give_an_empty_collection(client, fixture):
    for path in (
        "/en/map/data.geojson?swedish_partner=9999",
        "/en/map/data.geojson?partner=UA00000000000000000",
        "/en/map/data.geojson?network=no-such-network",
    ):
        points, lines, collection = geojson.read(client, path)
        assert (points, lines, collection["partnerships"]) == ({}, {}, 0), path


def test_only_get_and_head(client):
    assert client.post("/en/map/data.geojson").status_code == 405
    assert client.head("/en/map/data.geojson").status_code == 200


def test_every_published_partnership_counted_per_municipality_and_pair(client, fixture):
    points, lines, collection = geojson.read(client, "/en/map/data.geojson")
    assert collection["partnerships"] == 9  # 6 seed + 3 published from the factory
    expected = dict.fromkeys(SEED_CODES, 1) | {UMEA: 3, KHERSON: 2, KOLOMYIA: 2, STOCKHOLM: 1}
    assert {code: p["count"] for code, p in points.items()} == expected
    assert len(lines) == 7 and collection["pairs"] == collection["pairs_shown"] == 7
    assert lines[(UMEA, KHERSON)]["count"] == 2
    assert (STOCKHOLM, KALUSH) not in lines  # the private partner joins no line
    assert lines[(UMEA, KOLOMYIA)] | {} == {
        "kind": "pair",
        "a": UMEA,
        "b": KOLOMYIA,
        "count": 1,
        "title": "Umeå and Kolomyia",
        "url": "/en/partnerships/umea-kolomyia/",
    }
    assert points[UMEA]["name"] == "Umeå" and points[UMEA]["url"] == f"/en/municipalities/{UMEA}/"


def test_a_pair_of_several_links_the_catalogue_of_that_pair(client, fixture):
    _, lines, _ = geojson.read(client, "/en/map/data.geojson")
    url = lines[(UMEA, KHERSON)]["url"]
    assert url == f"/en/partnerships/?swedish_partner={UMEA}&partner={KHERSON}"
    page = client.get(url).context["page"]
    assert sorted(p.slug for p in page.object_list) == ["umea-kherson", "umea-kherson-schools"]


def test_the_filters_are_the_catalogues(client, fixture):
    points, lines, collection = geojson.read(client, "/en/map/data.geojson?area=education")
    assert collection["partnerships"] == 5  # Karlskrona, Lidingö and the three published ones
    assert {code: p["count"] for code, p in points.items()} == {
        KARLSKRONA: 1,
        CHORTKIV: 1,
        LIDINGO: 1,
        SLAVUTA: 1,
        UMEA: 2,
        KHERSON: 1,
        KOLOMYIA: 1,
        STOCKHOLM: 1,
    }
    assert lines[(UMEA, KHERSON)]["url"] == "/en/partnerships/umea-kherson-schools/"
    _, lines, _ = geojson.read(
        client, f"/en/map/data.geojson?swedish_partner={UMEA}&area=education"
    )
    assert lines[(UMEA, KHERSON)]["count"] == 1 and set(lines) == {
        (UMEA, KHERSON),
        (UMEA, KOLOMYIA),
    }
    points, lines, collection = geojson.read(client, f"/en/map/data.geojson?swedish_partner={UMEA}")
    assert collection["partnerships"] == 3 and lines[(UMEA, KHERSON)]["count"] == 2
    assert lines[(UMEA, KHERSON)]["url"] == (
        f"/en/partnerships/?swedish_partner={UMEA}&partner={KHERSON}"
    )


def test_a_text_query_counts_what_the_catalogue_finds(client, fixture):
    _, lines, collection = geojson.read(client, "/en/map/data.geojson?q=Kherson")
    assert (UMEA, KHERSON) in lines
    assert (
        collection["partnerships"]
        == client.get("/en/partnerships/?q=Kherson").context["page"].paginator.count
    )


def test_names_follow_the_language(client, fixture):
    sv, _, _ = geojson.read(client, "/sv/map/data.geojson")
    uk, lines, _ = geojson.read(client, "/uk/map/data.geojson")
    assert sv[KHERSON]["name"] == "Cherson" and uk[KHERSON]["name"] == "Херсон"
    assert uk[UMEA]["url"] == f"/uk/municipalities/{UMEA}/"
    assert lines[(UMEA, KOLOMYIA)]["title"] == "Умео і Коломия"


def test_the_partner_kept_private_is_nowhere_in_the_data(client, fixture):
    hidden = Partnership.objects.get(slug="umea-kherson")
    Partnership.objects.filter(pk=hidden.pk).update(private_fields=["partner"])
    for language in ("sv", "uk", "en"):
        points, lines, collection = geojson.read(client, f"/{language}/map/data.geojson")
        assert points[KHERSON]["count"] == 1  # the factory's pair only
        assert lines[(UMEA, KHERSON)]["url"].endswith("/partnerships/umea-kherson-schools/")
        body = client.get(f"/{language}/map/data.geojson").content.decode()
        assert "stockholm-kalush" not in body and "/umea-kherson/" not in body


def test_304_on_the_same_validator_and_a_new_one_after_a_write(client, fixture):
    first = client.get("/en/map/data.geojson?area=education")
    etag = first["ETag"]
    assert etag.startswith('"') and "max-age" in first["Cache-Control"]
    again = client.get("/en/map/data.geojson?area=education", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert client.get("/sv/map/data.geojson?area=education")["ETag"] != etag
    assert client.get("/en/map/data.geojson?area=urban-planning")["ETag"] != etag
    partnership(swedish=LIDINGO, partner=KOLOMYIA, slug="lidingo-kolomyia")
    after = client.get("/en/map/data.geojson?area=education", HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200 and after["ETag"] != etag
    points, _, _ = geojson.read(client, "/en/map/data.geojson?area=education")
    assert points[LIDINGO]["count"] == 2


def _queries(client, path: str) -> int:
    """Queries of an answer not in the page cache (the per-version tables already built)."""
    client.get(path.replace("area=", "area=x&area="))  # builds the per-version tables
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_partnerships(client):
    paths = ("/en/map/data.geojson?area=education", "/en/map/?area=education")
    before = [_queries(client, path) for path in paths]
    for _ in range(30):
        partnership(swedish=LIDINGO)
    after = [_queries(client, path) for path in paths]
    assert before == after
    assert after[0] <= 2  # the data version and nothing else once the tables are built


def test_the_text_alternative_is_paginated_and_keeps_the_filters(client):
    for _ in range(26):
        partnership(swedish=LIDINGO)  # education, like Karlskrona's and Lidingö's seed pairs
    first = client.get("/en/map/?area=education")
    assert first.context["count"] == 28
    assert len(first.context["page"].object_list) == 25
    html = first.content.decode()
    assert 'href="?area=education&amp;page=2"' in html and 'rel="next"' in html
    assert html.count("<tr>") == 26  # the head and 25 rows
    second = client.get("/en/map/?area=education&page=2")
    assert len(second.context["page"].object_list) == 3
    assert 'href="?area=education&amp;page=1"' in second.content.decode()
    assert client.get("/en/map/?area=education&page=999").context["page"].number == 2
    assert client.get("/en/map/?page=abc").status_code == 200
    assert 'data-features="/en/map/data.geojson?area=education"' in html
