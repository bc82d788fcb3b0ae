"""A local government of Moldova added by an officer through the registry's form: refused with
every reason on bad input (nothing written), then found by the registry's search, the API, the
map and the catalogue (once it is in a published partnership) like a municipality.
Expected values are written by hand."""

import pytest
from django.test import Client

from partnernet.accounts.testing import sign_in
from partnernet.accounts.tests.factories import officer
from partnernet.api.tests.factories import partnership
from partnernet.audit.models import AuditEntry
from partnernet.municipalities.models import Municipality
from partnernet.municipalities.selectors import municipality_search

from . import geojson

pytestmark = pytest.mark.django_db
ADD = "/en/municipalities/add/"
CAHUL = {
    "country": "MD",
    "kind": "local",
    "code": "MD1701000",
    "official_name": "Municipiul Cahul",
    "name_latin": "Cahul",
    "name_uk": "Кагул",
    "population": "",
    "population_date": "",
    "centroid_lat": "45.9075",
    "centroid_lon": "28.1944",
}


def officer_client() -> Client:
    return sign_in(Client(), officer())


def post(client: Client, **changes):
    return client.post(ADD, {**CAHUL, **changes})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"centroid_lat": "59.33", "centroid_lon": "18.06"}, "lies outside the country"),
        ({"centroid_lat": "", "centroid_lon": ""}, "are needed for the map"),
        ({"centroid_lat": "north"}, "must be numbers"),
        ({"code": "1701000"}, "ISO code and the official code"),
        ({"code": "GE1701000"}, "must begin with the country&#x27;s ISO code MD"),
        ({"name_latin": "Кагул"}, "must be written in Latin letters"),
        ({"kind": "oblast"}, "Select a valid choice"),
        ({"country": "UA"}, "Select a valid choice"),
        ({"country": "ZZ"}, "Select a valid choice"),
        ({"official_name": ""}, "This field is required"),
        ({"population": "12 000"}, "population must be a whole number"),
        ({"population": "12000"}, "population needs its population_date"),
    ],
)
def test_bad_input_is_refused_with_its_reason_and_nothing_is_written(changes, message):
    response = post(officer_client(), **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Municipality.objects.filter(country_id__in=["MD", "GE"]).exists()


def test_a_code_already_in_the_registry_is_refused():
    client = officer_client()
    assert post(client).status_code == 302
    again = post(client, name_latin="Cahul again")
    assert again.status_code == 400
    assert "The code MD1701000 is already in the registry." in again.content.decode()
    assert Municipality.objects.filter(code="MD1701000").count() == 1


def test_people_other_than_officers_cannot_add():
    assert Client().post(ADD, CAHUL).status_code == 302  # to the sign-in page
    assert not Municipality.objects.filter(code="MD1701000").exists()


def test_an_officer_adds_a_moldovan_municipality_and_it_is_everywhere_the_registry_is():
    client = officer_client()
    response = post(client)
    assert response.status_code == 302 and response["Location"] == "/en/municipalities/MD1701000/"
    cahul = Municipality.objects.get(code="MD1701000")
    assert (cahul.country_id, cahul.kind, cahul.official_name, cahul.name_latin) == (
        "MD",
        "local",
        "Municipiul Cahul",
        "Cahul",
    )
    assert (cahul.name_sv, cahul.name_en, cahul.name_uk) == ("Cahul", "Cahul", "Кагул")
    assert AuditEntry.objects.filter(action="create", object_id=str(cahul.pk)).exists()

    # the registry's search, by every name and by code, and the country filter
    for query in ("Cahul", "cahul", "Кагул", "Municipiul Cahul", "MD1701000"):
        assert [m.code for m in municipality_search(query=query)][:1] == ["MD1701000"], query
    page = Client().get("/en/municipalities/?q=Cahul")
    assert "/en/municipalities/MD1701000/" in page.content.decode()
    only_md = Client().get("/en/municipalities/?country=MD")
    assert only_md.context["country"] == "MD"
    assert [m.code for m in only_md.context["results"]] == ["MD1701000"]
    detail = Client().get("/uk/municipalities/MD1701000/").content.decode()
    assert "<h1>Кагул</h1>" in detail and '<dd lang="ro">Municipiul Cahul</dd>' in detail
    assert "Молдова" in detail  # the country in the reader's language

    # the API: search, country filter and the detail
    api = Client().get("/api/v1/municipalities?q=Cahul").json()
    assert [m["code"] for m in api["results"]][:1] == ["MD1701000"]
    by_country = Client().get("/api/v1/municipalities?country=MD").json()
    assert by_country["count"] == 1 and by_country["results"][0]["country"] == "MD"
    detail = Client().get("/api/v1/municipalities/MD1701000?lang=uk").json()
    assert (detail["name"], detail["kind"], detail["latitude"]) == ("Кагул", "local", 45.9075)


def test_in_a_published_partnership_it_is_in_the_catalogue_the_map_and_iati():
    assert post(officer_client()).status_code == 302
    item = partnership(swedish="0180", partner="MD1701000", slug="stockholm-cahul")
    catalogue = Client().get("/en/partnerships/?country=MD")
    assert [p.slug for p in catalogue.context["page"].object_list] == ["stockholm-cahul"]
    facet = Client().get("/en/partnerships/").content.decode()
    assert "Moldova" in facet
    assert "Moldavien" in Client().get("/sv/partnerships/").content.decode()
    points, _, _ = geojson.read(Client(), "/en/map/data.geojson?country=MD")
    assert set(points) == {"0180", "MD1701000"}
    response = Client().get("/open-data/iati-activities.xml")
    xml = b"".join(response.streaming_content).decode()
    assert '<recipient-country code="MD" percentage="100"/>' in xml
    assert item.partner.country_id == "MD"
