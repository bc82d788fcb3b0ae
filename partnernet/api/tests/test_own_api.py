import pytest
from django.core.cache import cache
from django.test import Client

from partnernet.api.models import ApiToken
from partnernet.api.services import api_token_create, api_token_revoke
from partnernet.audit.models import AuditEntry
from partnernet.partnerships.models import Partnership

from .factories import UserFactory, coordinator_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def umea():
    return Partnership.objects.get(slug="umea-kherson")


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_without_credentials_the_answer_is_401_problem():
    response = Client().get("/api/v1/me/partnerships")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_token_reads_only_the_partnerships_its_owner_coordinates(umea):
    _token, raw = api_token_create(user=coordinator_of(umea), name="script")
    body = Client().get("/api/v1/me/partnerships", **bearer(raw)).json()
    assert [p["slug"] for p in body] == ["umea-kherson"]
    other = Client().get("/api/v1/me/partnerships/falun-kolomyia", **bearer(raw))
    assert other.status_code == 404


def test_coordinators_see_unpublished_and_private_fields(umea):
    Partnership.objects.filter(pk=umea.pk).update(
        publication="draft", private_fields=["description"]
    )
    _token, raw = api_token_create(user=coordinator_of(umea), name="script")
    body = Client().get("/api/v1/me/partnerships/umea-kherson", **bearer(raw)).json()
    assert body["is_published"] is False and body["description"]
    assert body["texts"]["uk"]["summary"]


def test_patch_changes_one_language_and_is_audited(umea):
    user = coordinator_of(umea)
    _token, raw = api_token_create(user=user, name="script")
    response = Client().patch(
        "/api/v1/me/partnerships/umea-kherson",
        data={"language": "en", "summary": "Gender-equal planning."},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 200, response.content
    umea.refresh_from_db()
    assert umea.summary_en == "Gender-equal planning." and umea.summary_sv
    assert "en" in umea.translated_at
    entry = AuditEntry.objects.filter(object_id=str(umea.pk), action="update").latest("id")
    assert entry.actor == user and entry.after == {"summary_en": "Gender-equal planning."}


def test_editing_the_original_marks_translations_out_of_date(umea):
    _token, raw = api_token_create(user=coordinator_of(umea), name="script")
    Client().patch(
        "/api/v1/me/partnerships/umea-kherson",
        data={"language": "sv", "summary": "Ny text."},
        content_type="application/json",
        **bearer(raw),
    )
    umea.refresh_from_db()
    assert umea.translation_state("en") == "outdated"


def test_session_auth_works_and_patch_needs_csrf(umea):
    user = coordinator_of(umea)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/me/partnerships").status_code == 200
    refused = client.patch(
        "/api/v1/me/partnerships/umea-kherson",
        data={"language": "en"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_revoked_tokens_stop_working(umea):
    user = coordinator_of(umea)
    token, raw = api_token_create(user=user, name="script")
    api_token_revoke(user=user, token=token)
    assert Client().get("/api/v1/me/partnerships", **bearer(raw)).status_code == 401


def test_only_the_hash_of_a_token_is_stored():
    token, raw = api_token_create(user=UserFactory(), name="x")
    assert raw not in {token.token_hash, token.prefix} and raw.startswith(token.prefix)
    assert not ApiToken.objects.filter(token_hash=raw).exists()


def test_people_without_the_role_see_nothing():
    _token, raw = api_token_create(user=UserFactory(), name="x")
    assert Client().get("/api/v1/me/partnerships", **bearer(raw)).json() == []


def test_token_page_shows_a_new_token_once_and_revokes():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    created = client.post("/api/tokens/", {"name": "reports"})
    token = ApiToken.objects.get(user=user)
    html = created.content.decode()
    assert created.status_code == 200 and token.prefix in html and "pn_" in html
    assert "no-store" in created["Cache-Control"]
    listing = client.get("/api/tokens/").content.decode()
    assert "reports" in listing and 'value="pn_' not in listing
    client.post(f"/api/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_can_revoke_someone_elses_token():
    token, _raw = api_token_create(user=UserFactory(), name="x")
    client = Client()
    client.force_login(UserFactory())
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_page_needs_sign_in():
    assert Client().get("/api/tokens/").status_code == 302
