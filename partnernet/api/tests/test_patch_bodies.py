"""PATCH /api/v1/me/partnerships/{slug} with bodies it must refuse: 422 with the place of each
problem, and nothing written (texts, translation stamps and audit trail as before)."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from partnernet.api.services import api_token_create
from partnernet.audit.models import AuditEntry
from partnernet.partnerships.models import Partnership

from .factories import coordinator_of, partnership

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/partnerships/{slug}"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def own():
    """A partnership of our own and its coordinator's raw token."""
    item = partnership(slug="stockholm-texts")
    return item, api_token_create(user=coordinator_of(item), name="script")[1]


def send(raw: str, slug: str, body, *, content_type="application/json", **headers):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return Client().patch(
        URL.format(slug=slug),
        data=data,
        content_type=content_type,
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_ACCEPT_LANGUAGE="en",
        **headers,
    )


def snapshot(item: Partnership) -> tuple:
    item.refresh_from_db()
    texts = tuple(
        getattr(item, f"{f}_{lang}")
        for f in ("summary", "description")
        for lang in ["sv", "en", "uk"]
    )
    return texts, dict(item.translated_at), item.source_updated_at


def audits(item: Partnership) -> int:
    return AuditEntry.objects.filter(object_id=str(item.pk), action="update").count()


def refused(response) -> list[str]:
    assert response.status_code == 422, response.content[:300]
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 422 and body["title"] == "Invalid request" and body["detail"]
    assert all(e["message"] for e in body["errors"])
    return [e["location"] for e in body["errors"]]


BAD_BODIES = [
    ({"summary": "No language."}, "body.body.language"),
    ({"language": "de", "summary": "Unknown language."}, "body.body.language"),
    ({"language": "EN", "summary": "Language codes are lower case."}, "body.body.language"),
    ({"language": "", "summary": "x"}, "body.body.language"),
    ({"language": None, "summary": "x"}, "body.body.language"),
    ({"language": "en", "summary": "x" * 2001}, "body.body.summary"),
    ({"language": "en", "description": "x" * 20001}, "body.body.description"),
    ({"language": "en", "summary": "bell \x07 inside"}, "body.body.summary"),
    ({"language": "en", "summary": "nul \x00 inside"}, "body.body.summary"),
    ({"language": "en", "summary": "delete \x7f inside"}, "body.body.summary"),
    ({"language": "en", "description": "escape \x1b[31m"}, "body.body.description"),
    ({"language": "en", "summary": 42}, "body.body.summary"),
    ({"language": "en", "summary": ["a", "list"]}, "body.body.summary"),
    ({"language": "en", "description": {"nested": "object"}}, "body.body.description"),
]


@pytest.mark.parametrize(("body", "location"), BAD_BODIES)
def test_a_bad_body_is_422_at_its_place_and_nothing_is_written(own, body, location):
    item, raw = own
    before, count = snapshot(item), audits(item)
    assert location in refused(send(raw, item.slug, body))
    assert snapshot(item) == before and audits(item) == count


@pytest.mark.parametrize("body", ["not json", "{", "[]", '"a string"', "null", ""])
def test_a_body_that_is_not_a_json_object_is_a_4xx_problem_not_a_500(own, body):
    item, raw = own
    before = snapshot(item)
    response = send(raw, item.slug, body)
    assert response.status_code in (400, 422), response.content[:300]
    assert response["Content-Type"].startswith("application/problem+json")
    assert snapshot(item) == before


def test_a_form_encoded_body_is_refused(own):
    item, raw = own
    before = snapshot(item)
    response = send(
        raw, item.slug, "language=en&summary=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/problem+json")
    assert snapshot(item) == before


def test_the_limits_themselves_are_accepted(own):
    item, raw = own
    body = {"language": "en", "summary": "s" * 2000, "description": "d" * 20000}
    assert send(raw, item.slug, body).status_code == 200
    item.refresh_from_db()
    assert (len(item.summary_en), len(item.description_en)) == (2000, 20000)


def test_line_breaks_and_tabs_are_text_not_control_characters(own):
    item, raw = own
    text = "First line.\nSecond line.\r\n\tIndented."
    assert send(raw, item.slug, {"language": "en", "description": text}).status_code == 200
    item.refresh_from_db()
    assert item.description_en == text


def test_unicode_text_in_every_language_is_kept_as_written(own):
    item, raw = own
    for lang, text in {"uk": "Громада планує разом 💬", "sv": "Åäö – ”citat”"}.items():
        assert send(raw, item.slug, {"language": lang, "summary": text}).status_code == 200
    item.refresh_from_db()
    assert (item.summary_uk, item.summary_sv) == ("Громада планує разом 💬", "Åäö – ”citat”")


@pytest.mark.parametrize(
    "field", ["title", "granted_amount", "private_fields", "publication", "summary_en", "Summary"]
)
def test_a_field_the_api_does_not_edit_is_refused_by_name_not_ignored(own, field):
    """Found by this test: unknown fields were dropped silently, so a script that misspelt
    `summary` (or tried to change the title) got 200 and believed its change was stored."""
    item, raw = own
    before, count, title = snapshot(item), audits(item), item.title_en
    body = {"language": "en", "summary": "Changed.", field: "withdrawn"}
    response = send(raw, item.slug, body)
    assert refused(response) == [f"body.body.{field}"]
    assert response.json()["errors"][0]["message"] == "Extra inputs are not permitted"
    assert snapshot(item) == before and audits(item) == count
    item.refresh_from_db()
    assert item.title_en == title  # as it was made: the refused "title" changed nothing
    assert item.granted_amount == 250_000 and item.publication == "published"


def test_the_openapi_document_says_the_patch_body_takes_no_other_fields():
    schema = Client().get("/api/v1/openapi.json").json()
    patch_body = schema["components"]["schemas"]["TextsPatch"]
    assert patch_body["additionalProperties"] is False
    assert set(patch_body["properties"]) == {"language", "summary", "description"}


def test_null_fields_leave_the_text_as_it_was(own):
    item, raw = own
    response = send(raw, item.slug, {"language": "en", "summary": None, "description": None})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.summary_en == "Planning with residents."
    assert item.description_en == "A longer description of the work."


def test_an_empty_string_clears_the_text_of_that_language_only(own):
    item, raw = own
    assert send(raw, item.slug, {"language": "en", "summary": ""}).status_code == 200
    item.refresh_from_db()
    assert item.summary_en == "" and item.summary_sv == "Planering med invånare."


def test_a_translation_edit_stamps_that_language_and_keeps_the_original_time(own):
    item, raw = own
    _texts, _stamps, original_time = snapshot(item)
    assert send(raw, item.slug, {"language": "uk", "summary": "Планування."}).status_code == 200
    item.refresh_from_db()
    assert set(item.translated_at) == {"uk"} and item.source_updated_at == original_time
    assert item.translation_state("uk") == "missing"  # the description is not translated yet
    body = {"language": "uk", "description": "Опис."}
    assert send(raw, item.slug, body).json()["translation"] == "current"


def test_the_answer_shows_what_was_stored_in_the_language_edited(own):
    item, raw = own
    body = send(raw, item.slug, {"language": "sv", "summary": "Ny inriktning."}).json()
    assert body["language"] == "sv" and body["summary"] == "Ny inriktning."
    assert body["texts"]["sv"]["summary"] == "Ny inriktning."
    assert body["texts"]["en"]["summary"] == "Planning with residents."


def test_a_good_body_for_a_partnership_one_does_not_edit_is_404():
    item = partnership(slug="stockholm-stranger")
    other = Partnership.objects.get(slug="falun-kolomyia")
    raw = api_token_create(user=coordinator_of(other), name="script")[1]
    good = send(raw, item.slug, {"language": "en", "summary": "x"})
    assert good.status_code == 404
    item.refresh_from_db()
    assert item.summary_en == "Planning with residents."
