"""The public routes' refusals and edges: unknown addresses, methods, private addresses, bad
parameters, fragments, the page cache and the map's data."""

import pytest
from django.core.cache import cache

from partnernet.accounts.testing import sign_in
from partnernet.accounts.tests.factories import UserFactory
from partnernet.catalogue.models import DataVersion
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.services import partnership_field_hide, partnership_withdraw

from . import geojson

LANGUAGES = ["sv", "uk", "en"]
KHERSON = "UA65100150000057191"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "path",
    [
        "partnerships/no-such-partnership/",
        "partnerships/umea-partnership-999999/",  # the shape of a private address, no row
        "networks/no-such-network/",
        "municipalities/9999/",
        "municipalities/UA00000000000000000/",
        "municipalities/%3Cscript%3E/",
    ],
)
def test_unknown_addresses_are_not_found_in_every_language(client, language, path):
    assert client.get(f"/{language}/{path}").status_code == 404


@pytest.mark.django_db
def test_a_withdrawn_partnership_is_not_found_at_its_address(client):
    p = Partnership.objects.get(slug="vaxjo-kalush")
    partnership_withdraw(partnership=p, actor=None, reason="test")
    for language in LANGUAGES:
        assert client.get(f"/{language}/partnerships/vaxjo-kalush/").status_code == 404


@pytest.mark.django_db
def test_a_private_partner_moves_the_partnership_to_an_address_without_it(client):
    p = Partnership.objects.get(slug="umea-kherson")
    partnership_field_hide(partnership=p, field="partner", reason="safety", actor=None)
    other = Partnership.objects.get(slug="falun-kolomyia")
    assert client.get("/en/partnerships/umea-kherson/").status_code == 404
    response = client.get(f"/en/partnerships/umea-partnership-{p.pk}/")
    assert response.status_code == 200
    assert "Kherson" not in response.content.decode().split("<main", 1)[1]
    # The private shape with another partnership's number, or another municipality's name
    assert client.get(f"/en/partnerships/umea-partnership-{other.pk}/").status_code == 404
    assert client.get(f"/en/partnerships/falun-partnership-{p.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_municipality_page_does_not_list_a_partnership_that_keeps_it_private(client):
    p = Partnership.objects.get(slug="umea-kherson")
    assert "umea-kherson" in client.get(f"/en/municipalities/{KHERSON}/").content.decode()
    partnership_field_hide(partnership=p, field="partner", reason="safety", actor=None)
    body = client.get(f"/en/municipalities/{KHERSON}/").content.decode()
    assert "umea-kherson" not in body and f"partnership-{p.pk}" not in body
    assert f"umea-partnership-{p.pk}" in client.get("/en/municipalities/2480/").content.decode()


@pytest.mark.django_db
def test_municipality_codes_are_read_in_any_case(client):
    assert client.get(f"/en/municipalities/{KHERSON.lower()}/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/en/", "/en/partnerships/", "/en/partnerships/umea-kherson/", "/en/map/"],
)
def test_head_answers_without_a_body_and_writes_are_refused(client, path):
    head = client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert client.post(path).status_code == 405
    assert client.delete(path).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        "?page=%C2%B2",  # ²: once a server error
        "?sdg=%D9%A1%D9%A6",  # Arabic-Indic 16
        "?page=99999",
        "?page=0",
        "?q=" + "x" * 1000,
        "?sort=-relevance&country=SWE&year=1800",
        "?area=" + ",".join(["a"] * 200),
    ],
)
def test_bad_parameters_give_a_page_not_an_error(client, params):
    for path in ("/en/partnerships/", "/en/map/"):
        assert client.get(path + params).status_code == 200, path


@pytest.mark.django_db
def test_control_characters_in_the_query_are_refused_with_a_page(client):
    response = client.get("/en/partnerships/?q=%00%01")
    assert response.status_code == 400 and "<html" in response.content.decode()


@pytest.mark.django_db
def test_a_page_past_the_last_shows_the_last_page(client):
    response = client.get("/en/partnerships/?page=500")
    assert response.context["page"].number == 1
    assert len(response.context["items"]) == 6


@pytest.mark.django_db
def test_a_text_query_with_markup_is_shown_escaped(client):
    body = client.get("/en/partnerships/?q=%3Cscript%3Ealert(1)%3C/script%3E").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.django_db
def test_a_name_with_markup_is_escaped_in_titles_results_and_pages(client):
    # Public titles are made of the partners' names.
    Municipality.objects.filter(code="2080").update(name_en="<b onmouseover=alert(1)>Falun</b>")
    escaped = "&lt;b onmouseover=alert(1)&gt;Falun&lt;/b&gt;"
    body = client.get("/en/partnerships/?q=Kolomyia").content.decode()
    assert "<b onmouseover" not in body
    assert f"{escaped} and <mark>Kolomyia</mark>" in body
    for path in ("/en/partnerships/falun-kolomyia/", "/en/municipalities/2080/", "/en/map/"):
        body = client.get(path).content.decode()
        assert "<b onmouseover" not in body, path


@pytest.mark.django_db
def test_the_fragment_and_the_whole_page_are_cached_apart(client):
    fragment = client.get("/en/partnerships/", HTTP_HX_REQUEST="true").content.decode()
    page = client.get("/en/partnerships/").content.decode()
    again = client.get("/en/partnerships/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in page and "<html" not in fragment and again == fragment


@pytest.mark.django_db
def test_each_language_is_cached_apart(client):
    assert "Umeå and Kherson" in client.get("/en/partnerships/").content.decode()
    assert "Умео і Херсон" in client.get("/uk/partnerships/").content.decode()


@pytest.mark.django_db
def test_a_signed_in_page_is_never_cached(client):
    client.get("/en/partnerships/")
    assert len(_catalogue_keys()) == 1  # the anonymous page is (so the count below means it)
    cache.clear()
    sign_in(client, UserFactory())
    client.get("/en/partnerships/")
    client.get("/en/partnerships/?area=education")
    assert _catalogue_keys() == []


def _catalogue_keys() -> list[str]:
    # The local-memory cache of the tests: its keys carry the "catalogue:" prefix.
    store = getattr(cache, "_cache", {})
    return [k for k in store if "catalogue:" in k]


@pytest.mark.django_db
def test_an_anonymous_page_is_cached_until_any_write_to_the_data(client):
    client.get("/en/partnerships/")
    assert len(_catalogue_keys()) == 1
    before = DataVersion.objects.get(pk=1).version
    Municipality.objects.filter(code="2480").update(population=1)  # a raw bulk write
    assert DataVersion.objects.get(pk=1).version != before
    client.get("/en/partnerships/")
    assert len(_catalogue_keys()) == 2  # a new key for the new data version


@pytest.mark.django_db
def test_the_map_leaves_out_municipalities_without_coordinates(client):
    Municipality.objects.filter(code=KHERSON).update(latitude=None, longitude=None)
    points, lines, _ = geojson.read(client, "/en/map/data.geojson")
    codes = set(points)
    assert KHERSON not in codes and "2480" in codes  # Umeå still has its place
    assert len(codes) == 11
    pairs = set(lines)
    assert ("2480", KHERSON) not in pairs and len(pairs) == 5
    assert all(point["count"] == 1 for point in points.values())


@pytest.mark.django_db
def test_the_map_follows_the_filters(client):
    points, lines, _ = geojson.read(client, "/en/map/data.geojson?area=education")
    assert set(points) == {
        "1080",
        "0186",
        "UA61060430000094264",
        "UA68060270000042174",
    }
    assert {line["url"] for line in lines.values()} == {
        "/en/partnerships/karlskrona-chortkiv/",
        "/en/partnerships/lidingo-slavuta/",
    }


@pytest.mark.django_db
def test_the_map_never_places_a_private_partner(client):
    p = Partnership.objects.get(slug="umea-kherson")
    partnership_field_hide(partnership=p, field="partner", reason="safety", actor=None)
    points, lines, _ = geojson.read(client, "/en/map/data.geojson")
    assert KHERSON not in points
    assert "2480" in points
    assert len(lines) == 5
    assert KHERSON not in client.get("/en/map/").content.decode()
    assert KHERSON not in client.get("/en/map/data.geojson").content.decode()
