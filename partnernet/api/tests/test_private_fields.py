"""Each field that can be kept private is absent from the public answers (list and detail), the
answers still validate against the published OpenAPI document, and a private value can be
neither filtered on nor found; the partnership's coordinator still reads everything."""

import jsonschema
import pytest
from django.core.cache import cache
from django.test import Client

from partnernet.api.services import api_token_create
from partnernet.catalogue.services import search_document_update
from partnernet.partnerships.models import PRIVATISABLE_FIELDS, Partnership

from .factories import coordinator_of, partnership

pytestmark = pytest.mark.django_db
# The keys of a public partnership, and the ones each private field takes out (written here).
PUBLIC_KEYS = {
    "slug",
    "url",
    "language",
    "translation",
    "title",
    "summary",
    "description",
    "swedish_partner",
    "partner",
    "network",
    "area",
    "goals",
    "tags",
    "phase",
    "status",
    "start_date",
    "end_date",
    "granted_amount",
    "currency",
    "published_at",
}
ABSENT_WHEN_PRIVATE = {
    "partner": {"partner"},
    "summary": {"summary"},
    "description": {"description"},
    "tags": {"tags"},
    "start_date": {"start_date", "end_date"},  # the period is one fact
    "end_date": {"end_date"},
    "granted_amount": {"granted_amount"},
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def validate(document: dict, openapi: dict, schema_name: str) -> None:
    """`document` against `#/components/schemas/<schema_name>` of the OpenAPI document."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": openapi["components"]}
    jsonschema.Draft202012Validator(schema).validate(document)


def validate_answer(document: dict, openapi: dict, path: str) -> None:
    """`document` against the 200 answer the OpenAPI document declares for GET `path`."""
    declared = openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    schema = {**declared["schema"], "components": openapi["components"]}
    jsonschema.Draft202012Validator(schema).validate(document)


def own_partnership(private: list[str]) -> Partnership:
    item = partnership(slug="stockholm-private", tags=("schools",), goals=(4,))
    Partnership.objects.filter(pk=item.pk).update(private_fields=private)
    item.refresh_from_db()
    return item


def public_address(item: Partnership) -> str:
    return f"stockholm-partnership-{item.pk}" if "partner" in item.private_fields else item.slug


def test_every_privatisable_field_is_covered_here():
    assert set(PRIVATISABLE_FIELDS) == set(ABSENT_WHEN_PRIVATE)


def test_with_nothing_private_every_key_is_there(openapi):
    item = own_partnership([])
    body = Client().get(f"/api/v1/partnerships/{item.slug}").json()
    assert set(body) == PUBLIC_KEYS
    assert body["granted_amount"] == 250_000 and body["tags"][0]["slug"] == "schools"
    assert (body["start_date"], body["end_date"]) == ("2023-03-01", "2025-02-28")
    validate(body, openapi, "Partnership")


@pytest.mark.parametrize("field", PRIVATISABLE_FIELDS)
def test_a_private_field_is_absent_from_the_detail_and_it_still_validates(field, openapi):
    item = own_partnership([field])
    response = Client().get(f"/api/v1/partnerships/{public_address(item)}", {"lang": "en"})
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert set(body) == PUBLIC_KEYS - ABSENT_WHEN_PRIVATE[field]
    validate(body, openapi, "Partnership")


@pytest.mark.parametrize("field", PRIVATISABLE_FIELDS)
@pytest.mark.parametrize("lang", ["sv", "uk", "en"])
def test_a_private_field_is_absent_from_the_list_and_it_still_validates(field, lang, openapi):
    item = own_partnership([field])
    body = Client().get("/api/v1/partnerships", {"swedish_partner": "0180", "lang": lang}).json()
    validate_answer(body, openapi, "/api/v1/partnerships")
    [row] = body["results"]
    assert row["slug"] == public_address(item)
    assert set(row) == PUBLIC_KEYS - ABSENT_WHEN_PRIVATE[field]


def test_everything_private_at_once_still_validates(openapi):
    item = own_partnership(list(PRIVATISABLE_FIELDS))
    body = Client().get(f"/api/v1/partnerships/{public_address(item)}").json()
    assert set(body) == PUBLIC_KEYS - set().union(*ABSENT_WHEN_PRIVATE.values())
    validate(body, openapi, "Partnership")


def test_a_private_partner_is_named_nowhere_in_the_public_answers():
    item = own_partnership(["partner"])
    partner = item.partner
    names = {partner.name, partner.name_sv, partner.name_en, partner.name_uk, partner.code}
    names = {n for n in names if n}
    for lang in ("sv", "uk", "en"):
        listing = Client().get("/api/v1/partnerships", {"lang": lang, "page_size": 100})
        detail = Client().get(f"/api/v1/partnerships/{public_address(item)}", {"lang": lang})
        for text in (listing.content.decode(), detail.content.decode()):
            assert not [n for n in names if n in text], lang
    assert Client().get(f"/api/v1/partnerships/{item.slug}").status_code == 404


def test_a_private_partners_title_names_only_the_country():
    item = own_partnership(["partner"])
    body = Client().get(f"/api/v1/partnerships/{public_address(item)}", {"lang": "en"}).json()
    assert body["title"] == "Stockholm and a partner in Ukraine"


@pytest.mark.parametrize(
    ("field", "query"),
    [
        ("partner", "partner={code}"),
        ("tags", "tag=schools"),
        ("start_date", "year=2023"),
    ],
)
def test_a_private_value_cannot_be_filtered_on(field, query):
    item = own_partnership([])
    query = query.format(code=item.partner.code)
    before = Client().get(f"/api/v1/partnerships?{query}").json()
    assert [p["slug"] for p in before["results"]] == [item.slug]
    Partnership.objects.filter(pk=item.pk).update(private_fields=[field])
    after = Client().get(f"/api/v1/partnerships?{query}").json()
    assert after["count"] == 0 and after["results"] == []


def test_a_private_text_is_not_found_by_search():
    item = own_partnership([])
    Partnership.objects.filter(pk=item.pk).update(summary_en="Unmistakable zebracrossing work.")
    search_document_update(partnership_id=item.pk)
    assert Client().get("/api/v1/partnerships", {"q": "zebracrossing"}).json()["count"] == 1
    Partnership.objects.filter(pk=item.pk).update(private_fields=["summary"])
    search_document_update(partnership_id=item.pk)
    assert Client().get("/api/v1/partnerships", {"q": "zebracrossing"}).json()["count"] == 0


def test_the_coordinator_reads_every_private_field_and_it_validates(openapi):
    item = own_partnership(list(PRIVATISABLE_FIELDS))
    raw = api_token_create(user=coordinator_of(item), name="script")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = Client().get(f"/api/v1/me/partnerships/{item.slug}", **auth).json()
    validate(body, openapi, "OwnPartnership")
    assert set(body) >= PUBLIC_KEYS
    assert body["partner"]["code"] == item.partner.code and body["granted_amount"] == 250_000
    assert sorted(body["private_fields"]) == sorted(PRIVATISABLE_FIELDS)
    listed = Client().get("/api/v1/me/partnerships", **auth).json()
    assert [p["slug"] for p in listed] == [item.slug] and listed[0]["tags"]


def test_an_unknown_name_in_private_fields_hides_nothing_else(openapi):
    item = own_partnership(["no-such-field"])
    body = Client().get(f"/api/v1/partnerships/{item.slug}").json()
    assert set(body) == PUBLIC_KEYS
    validate(body, openapi, "Partnership")


def test_the_schema_check_itself_refuses_a_wrong_answer(openapi):
    """The validations above are not vacuous: a key of the wrong type or a missing one fails."""
    body = Client().get("/api/v1/partnerships/umea-kherson").json()
    for broken in ({**body, "goals": "16"}, {k: v for k, v in body.items() if k != "slug"}):
        with pytest.raises(jsonschema.ValidationError):
            validate(broken, openapi, "Partnership")
    page = Client().get("/api/v1/partnerships").json()
    with pytest.raises(jsonschema.ValidationError):
        validate_answer({**page, "count": "six"}, openapi, "/api/v1/partnerships")
