"""PATCH of a coordinator's own partnership with If-Match: a stale ETag changes nothing (412)."""

import pytest
from django.core.cache import cache
from django.test import Client

from partnernet.api.services import api_token_create
from partnernet.audit.models import AuditEntry
from partnernet.partnerships.models import Partnership

from .factories import coordinator_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/partnerships/umea-kherson"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def writers():
    """Two scripts of two coordinators of Umeå–Kherson, each with its own token."""
    umea = Partnership.objects.get(slug="umea-kherson")
    first = api_token_create(user=coordinator_of(umea), name="first")[1]
    second = api_token_create(user=coordinator_of(umea), name="second")[1]
    return umea, first, second


def headers(raw: str, **extra) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "en", **extra}


def patch(raw: str, body: dict, **extra):
    return Client().patch(URL, data=body, content_type="application/json", **headers(raw, **extra))


def test_a_stale_etag_is_refused_with_412_and_nothing_changes(writers):
    umea, first, second = writers
    tag_first = Client().get(URL, **headers(first))["ETag"]
    tag_second = Client().get(URL, **headers(second))["ETag"]
    assert tag_first == tag_second and tag_first.startswith('"')
    ok = patch(first, {"language": "en", "summary": "First change."}, HTTP_IF_MATCH=tag_first)
    assert ok.status_code == 200 and ok["ETag"] != tag_first
    stale = patch(second, {"language": "en", "summary": "Second change."}, HTTP_IF_MATCH=tag_second)
    assert stale.status_code == 412
    assert stale["Content-Type"].startswith("application/problem+json")
    assert stale.json()["status"] == 412 and "changed since you read it" in stale.json()["detail"]
    assert stale["ETag"] == ok["ETag"]  # the current tag, to read again and merge
    umea.refresh_from_db()
    assert umea.summary_en == "First change."
    updates = AuditEntry.objects.filter(object_id=str(umea.pk), action="update")
    assert updates.count() == 1
    # Read again, merge, retry with the new tag: accepted.
    fresh = Client().get(URL, **headers(second))
    merged = patch(
        second,
        {"language": "en", "summary": "First change. Second change."},
        HTTP_IF_MATCH=fresh["ETag"],
    )
    assert merged.status_code == 200
    umea.refresh_from_db()
    assert umea.summary_en == "First change. Second change."


def test_the_etag_of_any_language_version_matches_and_a_list_of_tags_is_read(writers):
    umea, first, _second = writers
    tag_uk = Client().get(URL + "?lang=uk", **headers(first))["ETag"]
    response = patch(
        first, {"language": "sv", "summary": "Ny text."}, HTTP_IF_MATCH=f'"nope", {tag_uk}'
    )
    assert response.status_code == 200
    umea.refresh_from_db()
    assert umea.summary_sv == "Ny text."


@pytest.mark.parametrize("if_match", ['"0123456789abcdef0123456789abcdef"', "garbage", '""', ","])
def test_an_unknown_or_malformed_etag_is_412(writers, if_match):
    umea, first, _second = writers
    before = umea.summary_en
    assert (
        patch(first, {"language": "en", "summary": "x"}, HTTP_IF_MATCH=if_match).status_code == 412
    )
    umea.refresh_from_db()
    assert umea.summary_en == before


def test_a_weak_etag_never_matches(writers):
    _umea, first, _second = writers
    tag = Client().get(URL, **headers(first))["ETag"]
    response = patch(first, {"language": "en", "summary": "x"}, HTTP_IF_MATCH=f"W/{tag}")
    assert response.status_code == 412


def test_a_star_or_no_if_match_applies_the_change(writers):
    umea, first, _second = writers
    assert (
        patch(first, {"language": "en", "summary": "Star."}, HTTP_IF_MATCH="*").status_code == 200
    )
    assert patch(first, {"language": "en", "summary": "None."}).status_code == 200
    umea.refresh_from_db()
    assert umea.summary_en == "None."


def test_a_field_missing_from_the_patch_is_not_blanked(writers):
    umea, first, _second = writers
    description = umea.description_en
    assert description
    tag = Client().get(URL, **headers(first))["ETag"]
    response = patch(first, {"language": "en", "summary": "Only the summary."}, HTTP_IF_MATCH=tag)
    assert response.status_code == 200
    umea.refresh_from_db()
    assert (umea.summary_en, umea.description_en) == ("Only the summary.", description)


def test_the_read_etag_answers_304_and_changes_with_the_partnership(writers):
    _umea, first, _second = writers
    tag = Client().get(URL, **headers(first))["ETag"]
    assert Client().get(URL, **headers(first, HTTP_IF_NONE_MATCH=tag)).status_code == 304
    patch(first, {"language": "en", "summary": "Changed."})
    assert Client().get(URL, **headers(first, HTTP_IF_NONE_MATCH=tag)).status_code == 200


def test_if_match_and_412_are_in_the_openapi_document():
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/me/partnerships/{slug}"]["patch"]
    assert "412" in operation["responses"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in operation["parameters"])
