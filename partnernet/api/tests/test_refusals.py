"""Each refusal of /api/v1, written out: unknown things (404), wrong methods (405), missing or
bad credentials (401), another person's partnership (404, wrong owner) and staff power that a
token does not carry. Every refusal is a problem document in the reader's language."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partnernet.accounts.models import User
from partnernet.api.services import api_token_create, api_token_revoke
from partnernet.audit.models import AuditEntry
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Partnership

from .factories import UserFactory, coordinator_of, partnership, whole_municipality_coordinator

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
# The 404 problem in each language, written here (not read from the catalogue under test).
NOT_FOUND_TITLES = {"en": "Not found", "sv": "Hittades inte", "uk": "Не знайдено"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def problem_of(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith(PROBLEM), response["Content-Type"]
    body = json.loads(response.content)
    assert body["type"] == "about:blank" and body["status"] == status
    assert body["title"] and body.get("detail")
    return body


def bearer(raw: str, **extra) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", **extra}


MISSING = [
    "/api/v1/partnerships/no-such-partnership",
    "/api/v1/partnerships/umea-partnership-999999",  # the shape of a private-partner address
    "/api/v1/municipalities/0000",
    "/api/v1/municipalities/UA00000000000000000",
    "/api/v1/networks/no-such-network",
]


@pytest.mark.parametrize("path", MISSING)
@pytest.mark.parametrize("lang", ["en", "sv", "uk"])
def test_a_missing_thing_is_a_404_problem_in_each_language(path, lang):
    response = Client().get(path, {"lang": lang})
    body = problem_of(response, 404)
    assert body["title"] == NOT_FOUND_TITLES[lang]
    assert response["Content-Language"] == lang
    assert body["instance"] == path


@pytest.mark.parametrize("lang", ["en", "sv", "uk"])
def test_the_language_of_a_404_follows_accept_language_without_lang(lang):
    response = Client().get("/api/v1/networks/nothing", HTTP_ACCEPT_LANGUAGE=lang)
    assert problem_of(response, 404)["title"] == NOT_FOUND_TITLES[lang]


def test_an_unknown_lang_parameter_is_refused_not_guessed():
    body = problem_of(Client().get("/api/v1/goals", {"lang": "de"}), 422)
    assert [e["location"] for e in body["errors"]] == ["query.lang"]


@pytest.mark.parametrize("slug", ["UPPER", "with space", "a" * 121, "under_score"])
def test_a_malformed_slug_is_422_not_a_lookup(slug):
    body = problem_of(Client().get(f"/api/v1/partnerships/{slug}"), 422)
    assert body["errors"][0]["location"] == "path.slug"


@pytest.mark.parametrize("code", ["248", "24800", "SE2480", "UA123"])
def test_a_malformed_municipality_code_is_422(code):
    body = problem_of(Client().get(f"/api/v1/municipalities/{code}"), 422)
    assert body["errors"][0]["location"] == "path.code"


def test_a_ukrainian_code_is_found_in_either_case():
    kherson = Municipality.objects.get(name="Cherson")
    upper = Client().get(f"/api/v1/municipalities/{kherson.code}").json()
    lower = Client().get(f"/api/v1/municipalities/{kherson.code.lower()}").json()
    assert upper["code"] == lower["code"] == kherson.code


@pytest.mark.parametrize("publication", ["draft", "withdrawn"])
def test_an_unpublished_partnership_is_404_and_not_listed(publication):
    made = partnership(publication=publication)
    assert problem_of(Client().get(f"/api/v1/partnerships/{made.slug}"), 404)
    slugs = [
        p["slug"] for p in Client().get("/api/v1/partnerships?page_size=100").json()["results"]
    ]
    assert made.slug not in slugs and len(slugs) == 6


def test_a_withdrawn_partnership_is_not_counted_in_its_network():
    Partnership.objects.filter(slug="vaxjo-kalush").update(publication="withdrawn")
    network = Client().get("/api/v1/networks/democratic-resilience").json()
    assert network["partnerships"] == 5
    assert Client().get("/api/v1/networks").json()[0]["partnerships"] == 5


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("post", "/api/v1/partnerships", {"GET"}),
        ("patch", "/api/v1/partnerships/umea-kherson", {"GET"}),
        ("delete", "/api/v1/municipalities/2480", {"GET"}),
        ("post", "/api/v1/networks", {"GET"}),
        ("put", "/api/v1/areas", {"GET"}),
        ("delete", "/api/v1/me/partnerships", {"GET"}),
        ("post", "/api/v1/me/partnerships/umea-kherson", {"GET", "PATCH"}),
        ("delete", "/api/v1/me/partnerships/umea-kherson", {"GET", "PATCH"}),
    ],
)
def test_a_wrong_method_is_405_with_allow(method, path, allowed):
    response = getattr(Client(), method)(path, HTTP_ACCEPT_LANGUAGE="en")
    body = problem_of(response, 405)
    assert {m.strip() for m in response["Allow"].split(",")} == allowed
    assert method.upper() in body["detail"]


def test_the_405_problem_is_translated():
    english = problem_of(Client().post("/api/v1/goals?lang=en"), 405)
    swedish = problem_of(Client().post("/api/v1/goals?lang=sv"), 405)
    assert english["title"] == "Method not allowed" and swedish["title"] != english["title"]


OWN = ["/api/v1/me/partnerships", "/api/v1/me/partnerships/umea-kherson"]
BAD_CREDENTIALS = [
    {},
    {"HTTP_AUTHORIZATION": "Bearer"},
    {"HTTP_AUTHORIZATION": "Bearer "},
    {"HTTP_AUTHORIZATION": "Bearer pn_" + "x" * 43},
    {"HTTP_AUTHORIZATION": "Bearer not-even-our-prefix"},
    {"HTTP_AUTHORIZATION": "Bearer pn_" + "y" * 300},  # longer than any token
    {"HTTP_AUTHORIZATION": "Token pn_abc"},
    {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNzd29yZA=="},
]


@pytest.mark.parametrize("path", OWN)
@pytest.mark.parametrize("headers", BAD_CREDENTIALS)
def test_own_reads_without_a_valid_credential_are_401_with_a_challenge(path, headers):
    response = Client().get(path, **headers)
    problem_of(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="Partnernet API"'


def test_a_patch_without_credentials_is_401_and_changes_nothing():
    umea = Partnership.objects.get(slug="umea-kherson")
    response = Client().patch(
        "/api/v1/me/partnerships/umea-kherson",
        data={"language": "en", "summary": "Anonymous."},
        content_type="application/json",
    )
    problem_of(response, 401)
    umea.refresh_from_db()
    assert umea.summary_en != "Anonymous."


def test_the_raw_token_is_needed_not_its_prefix_or_hash():
    umea = Partnership.objects.get(slug="umea-kherson")
    token, _raw = api_token_create(user=coordinator_of(umea), name="script")
    for guess in (token.prefix, token.token_hash, "pn_" + token.token_hash):
        problem_of(Client().get("/api/v1/me/partnerships", **bearer(guess)), 401)


def test_a_revoked_token_is_refused_on_every_own_operation():
    umea = Partnership.objects.get(slug="umea-kherson")
    person = coordinator_of(umea)
    token, raw = api_token_create(user=person, name="script")
    assert Client().get(OWN[1], **bearer(raw)).status_code == 200
    api_token_revoke(user=person, token=token)
    for path in OWN:
        problem_of(Client().get(path, **bearer(raw)), 401)
    response = Client().patch(
        OWN[1],
        data={"language": "en", "summary": "Late."},
        content_type="application/json",
        **bearer(raw),
    )
    problem_of(response, 401)
    umea.refresh_from_db()
    assert umea.summary_en != "Late."


def test_the_token_of_a_deactivated_person_is_refused():
    umea = Partnership.objects.get(slug="umea-kherson")
    person = coordinator_of(umea)
    _token, raw = api_token_create(user=person, name="script")
    User.objects.filter(pk=person.pk).update(is_active=False)
    problem_of(Client().get("/api/v1/me/partnerships", **bearer(raw)), 401)


def test_a_token_records_its_use_and_is_not_an_audit_write():
    umea = Partnership.objects.get(slug="umea-kherson")
    token, raw = api_token_create(user=coordinator_of(umea), name="script")
    assert token.last_used_at is None
    before = AuditEntry.objects.count()
    Client().get("/api/v1/me/partnerships", **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert AuditEntry.objects.count() == before


def patch_summary(raw: str, slug: str, text: str):
    return Client().patch(
        f"/api/v1/me/partnerships/{slug}",
        data={"language": "en", "summary": text},
        content_type="application/json",
        **bearer(raw, HTTP_ACCEPT_LANGUAGE="en"),
    )


def test_another_partnerships_coordinator_gets_404_and_writes_nothing():
    falun = Partnership.objects.get(slug="falun-kolomyia")
    umea = Partnership.objects.get(slug="umea-kherson")
    _token, raw = api_token_create(user=coordinator_of(falun), name="script")
    problem_of(Client().get("/api/v1/me/partnerships/umea-kherson", **bearer(raw)), 404)
    before, audits = umea.summary_en, AuditEntry.objects.filter(action="update").count()
    problem_of(patch_summary(raw, "umea-kherson", "Not mine."), 404)
    umea.refresh_from_db()
    assert umea.summary_en == before
    assert AuditEntry.objects.filter(action="update").count() == audits


def test_wrong_owner_and_missing_partnership_answer_alike():
    falun = Partnership.objects.get(slug="falun-kolomyia")
    _token, raw = api_token_create(user=coordinator_of(falun), name="script")
    other = Client().get("/api/v1/me/partnerships/umea-kherson", **bearer(raw))
    missing = Client().get("/api/v1/me/partnerships/no-such-one", **bearer(raw))
    assert other.status_code == missing.status_code == 404
    # Same body apart from the address: nothing tells that umea-kherson exists.
    a, b = json.loads(other.content), json.loads(missing.content)
    assert {k: v for k, v in a.items() if k != "instance"} == {
        k: v for k, v in b.items() if k != "instance"
    }


def test_a_whole_municipality_coordinator_edits_its_pairs_and_no_other():
    stockholm = Municipality.objects.get(code="0180")
    first = partnership(swedish="0180", slug="stockholm-first")
    second = partnership(swedish="0180", slug="stockholm-second")
    person = whole_municipality_coordinator(stockholm)
    _token, raw = api_token_create(user=person, name="script")
    listed = Client().get("/api/v1/me/partnerships", **bearer(raw)).json()
    assert [p["slug"] for p in listed] == ["stockholm-first", "stockholm-second"]
    assert patch_summary(raw, second.slug, "Second.").status_code == 200
    problem_of(patch_summary(raw, "umea-kherson", "Not ours."), 404)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.summary_en, second.summary_en) == ("Planning with residents.", "Second.")


def test_a_partnership_scoped_coordinator_does_not_edit_the_municipalitys_other_pair():
    first = partnership(swedish="0180", slug="stockholm-first")
    partnership(swedish="0180", slug="stockholm-second")
    _token, raw = api_token_create(user=coordinator_of(first), name="script")
    listed = Client().get("/api/v1/me/partnerships", **bearer(raw)).json()
    assert [p["slug"] for p in listed] == ["stockholm-first"]
    problem_of(patch_summary(raw, "stockholm-second", "Not ours."), 404)


def test_a_superusers_token_carries_no_staff_power():
    admin = UserFactory(is_superuser=True, is_staff=True)
    _token, raw = api_token_create(user=admin, name="script")
    assert Client().get("/api/v1/me/partnerships", **bearer(raw)).json() == []
    # Refused before any lookup: an existing and a missing partnership answer the same.
    problem_of(Client().get("/api/v1/me/partnerships/umea-kherson", **bearer(raw)), 403)
    problem_of(Client().get("/api/v1/me/partnerships/no-such-one", **bearer(raw)), 403)
    umea = Partnership.objects.get(slug="umea-kherson")
    before = umea.summary_en
    problem_of(patch_summary(raw, "umea-kherson", "Admin via token."), 403)
    umea.refresh_from_db()
    assert umea.summary_en == before


def test_a_coordinator_reads_their_draft_which_the_public_does_not_see():
    draft = partnership(publication="draft", slug="stockholm-draft")
    _token, raw = api_token_create(user=coordinator_of(draft), name="script")
    own = Client().get("/api/v1/me/partnerships/stockholm-draft", **bearer(raw)).json()
    assert own["is_published"] is False and own["slug"] == "stockholm-draft"
    problem_of(Client().get("/api/v1/partnerships/stockholm-draft"), 404)


def test_the_own_list_has_no_other_coordinators_partnerships():
    falun = Partnership.objects.get(slug="falun-kolomyia")
    umea = Partnership.objects.get(slug="umea-kherson")
    person = coordinator_of(falun)
    coordinator_of(umea)  # someone else
    _token, raw = api_token_create(user=person, name="script")
    listed = Client().get("/api/v1/me/partnerships", **bearer(raw)).json()
    assert [p["slug"] for p in listed] == ["falun-kolomyia"]


def test_every_kind_of_refusal_validates_against_the_documented_problem_schema(settings):
    import jsonschema

    document = Client().get("/api/v1/openapi.json").json()
    validator = jsonschema.Draft202012Validator(
        {"$ref": "#/components/schemas/Problem", "components": document["components"]}
    )
    umea = Partnership.objects.get(slug="umea-kherson")
    raw = api_token_create(user=coordinator_of(umea), name="script")[1]
    me = "/api/v1/me/partnerships/umea-kherson"
    refusals = {
        404: Client().get("/api/v1/partnerships/nothing"),
        405: Client().post("/api/v1/goals"),
        401: Client().get("/api/v1/me/partnerships"),
        422: Client().get("/api/v1/partnerships?page=0"),
        412: Client().patch(
            me,
            data={"language": "en", "summary": "x"},
            content_type="application/json",
            **bearer(raw, HTTP_IF_MATCH='"stale"'),
        ),
    }
    settings.API_RATE_LIMIT = "1/min"
    cache.clear()
    Client().get("/api/v1/goals")
    refusals[429] = Client().get("/api/v1/goals")
    for status, response in refusals.items():
        body = problem_of(response, status)
        validator.validate(body)
        assert body["status"] == status


def test_network_counts_are_read_without_a_query_per_network_or_per_partnership():
    """The counts come from the public index: a partnership keeping its partner private is still
    a published one (counted), a draft is not; the list costs the same queries either way."""
    client = Client()
    client.get("/api/v1/networks")  # the index of this data version is built once
    with CaptureQueriesContext(connection) as before:
        assert client.get("/api/v1/networks").json()[0]["partnerships"] == 6
    Partnership.objects.filter(slug="vaxjo-kalush").update(private_fields=["partner"])
    client.get("/api/v1/networks")
    with CaptureQueriesContext(connection) as after:
        assert client.get("/api/v1/networks").json()[0]["partnerships"] == 6
    assert len(after) == len(before)
