"""The token page's refusals, the rate limit's settings and buckets, and conditional GET."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from partnernet.api.api import ClientRateThrottle
from partnernet.api.models import ApiToken
from partnernet.api.selectors import api_token_for_raw
from partnernet.api.services import api_token_create, api_token_revoke
from partnernet.audit.models import AuditEntry

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def signed_in(user=None) -> Client:
    client = Client()
    client.force_login(user or UserFactory())
    return client


# --- the token page -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_without_a_proper_name_is_not_created(name):
    user = UserFactory()
    response = signed_in(user).post("/api/tokens/", {"name": name})
    assert response.status_code == 200
    assert 'value="pn_' not in response.content.decode()
    assert not ApiToken.objects.filter(user=user).exists()


def test_a_name_of_100_characters_is_kept_whole():
    user = UserFactory()
    signed_in(user).post("/api/tokens/", {"name": "n" * 100})
    assert ApiToken.objects.get(user=user).name == "n" * 100


def test_the_page_lists_only_ones_own_tokens():
    mine, theirs = UserFactory(), UserFactory()
    api_token_create(user=mine, name="my-reports")
    api_token_create(user=theirs, name="their-secret-script")
    html = signed_in(mine).get("/api/tokens/").content.decode()
    assert "my-reports" in html and "their-secret-script" not in html


def test_revoking_needs_post():
    user = UserFactory()
    token, _raw = api_token_create(user=user, name="x")
    assert signed_in(user).get(f"/api/tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_a_token_that_does_not_exist_is_404():
    assert signed_in().post("/api/tokens/999999/revoke/").status_code == 404


def test_revoking_anonymously_goes_to_sign_in_and_keeps_the_token():
    token, _raw = api_token_create(user=UserFactory(), name="x")
    response = Client().post(f"/api/tokens/{token.pk}/revoke/")
    assert response.status_code == 302 and "login" in response["Location"]
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_creation_goes_to_sign_in_and_creates_nothing():
    count = ApiToken.objects.count()
    assert Client().post("/api/tokens/", {"name": "x"}).status_code == 302
    assert ApiToken.objects.count() == count


def test_revoking_twice_is_recorded_once_and_keeps_the_first_time():
    user = UserFactory()
    token, _raw = api_token_create(user=user, name="x")
    client = signed_in(user)
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    first = token.revoked_at
    client.post(f"/api/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at == first
    assert AuditEntry.objects.filter(object_id=str(token.pk), action="revoke").count() == 1


def test_revoking_one_token_leaves_the_others_working():
    user = UserFactory()
    first, first_raw = api_token_create(user=user, name="first")
    _second, second_raw = api_token_create(user=user, name="second")
    signed_in(user).post(f"/api/tokens/{first.pk}/revoke/")
    assert api_token_for_raw(raw=first_raw) is None
    assert api_token_for_raw(raw=second_raw).name == "second"


def test_two_tokens_are_never_the_same():
    user = UserFactory()
    raws = {api_token_create(user=user, name=str(n))[1] for n in range(5)}
    assert len(raws) == 5 and all(len(r) >= 40 for r in raws)


@pytest.mark.parametrize("raw", ["", "pn_", "pn_short", "PN_" + "x" * 43, "pn_" + "x" * 300])
def test_made_up_raw_tokens_match_nothing(raw):
    api_token_create(user=UserFactory(), name="x")
    assert api_token_for_raw(raw=raw) is None


def test_a_token_name_is_stripped_and_cut_by_the_service():
    token, _raw = api_token_create(user=UserFactory(), name="  " + "n" * 120 + "  ")
    assert token.name == "n" * 100


# --- the rate limit -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ("600/min", (600, 60)),
        ("600/m", (600, 60)),
        ("5/s", (5, 1)),
        ("5/sec", (5, 1)),
        ("10/h", (10, 3600)),
        ("10/hour", (10, 3600)),
        ("7/d", (7, 86400)),
        ("7/day", (7, 86400)),
        ("10/5m", (10, 300)),
        ("2/30s", (2, 30)),
        ("4/10", (4, 10)),
    ],
)
def test_rates_read_as_written_here(rate, expected):
    assert ClientRateThrottle().parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["many/min", "3/week", "/min", "3", "3/", "3/ min"])
def test_a_rate_that_cannot_be_read_is_a_configuration_error(rate):
    with pytest.raises(ValueError, match="Invalid rate format"):
        ClientRateThrottle().parse_rate(rate)


@pytest.mark.parametrize(("rate", "window"), [("1/min", 60), ("1/h", 3600)])
def test_the_setting_is_read_at_every_request_and_retry_after_is_within_the_window(
    settings, rate, window
):
    settings.API_RATE_LIMIT = rate
    throttle = ClientRateThrottle()
    assert (throttle.num_requests, throttle.duration) == (1, window)
    client = Client()
    assert client.get("/api/v1/goals").status_code == 200
    limited = client.get("/api/v1/goals")
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= window


def codes(client, n, path="/api/v1/goals", **headers):
    return [client.get(path, **headers).status_code for _ in range(n)]


@override_settings(API_RATE_LIMIT="2/min")
def test_the_limit_counts_every_api_address_together():
    client = Client()
    assert codes(client, 1, "/api/v1/goals") == [200]
    assert codes(client, 1, "/api/v1/areas") == [200]
    assert codes(client, 1, "/api/v1/networks") == [429]


@override_settings(API_RATE_LIMIT="2/min")
def test_a_refused_request_still_counts_and_a_404_too():
    client = Client()
    assert codes(client, 1, "/api/v1/partnerships/no-such-one") == [404]
    assert codes(client, 1, "/api/v1/partnerships?page=0") == [422]
    assert codes(client, 1, "/api/v1/goals") == [429]


@override_settings(API_RATE_LIMIT="2/min")
def test_two_people_with_tokens_do_not_share_a_bucket():
    first = api_token_create(user=UserFactory(), name="a")[1]
    second = api_token_create(user=UserFactory(), name="b")[1]
    client = Client()
    assert codes(client, 3, HTTP_AUTHORIZATION=f"Bearer {first}") == [200, 200, 429]
    assert codes(client, 2, HTTP_AUTHORIZATION=f"Bearer {second}") == [200, 200]


@override_settings(API_RATE_LIMIT="2/min")
def test_a_second_token_of_the_same_person_has_its_own_bucket():
    """Buckets are per token, as documented ("per valid token"), not per person."""
    person = UserFactory()
    first = api_token_create(user=person, name="a")[1]
    second = api_token_create(user=person, name="b")[1]
    client = Client()
    assert codes(client, 3, HTTP_AUTHORIZATION=f"Bearer {first}") == [200, 200, 429]
    assert codes(client, 1, HTTP_AUTHORIZATION=f"Bearer {second}") == [200]


@override_settings(API_RATE_LIMIT="2/min")
def test_a_token_of_a_deactivated_person_gets_no_bucket_of_its_own():
    person = UserFactory()
    raw = api_token_create(user=person, name="a")[1]
    person.is_active = False
    person.save()
    client = Client()
    assert codes(client, 2) == [200, 200]
    assert codes(client, 1, HTTP_AUTHORIZATION=f"Bearer {raw}") == [429]


@override_settings(API_RATE_LIMIT="1/min")
def test_the_limit_answer_is_a_translated_problem_with_retry_after():
    client = Client()
    client.get("/api/v1/goals")
    english = client.get("/api/v1/goals?lang=en")
    ukrainian = client.get("/api/v1/goals?lang=uk")
    assert english.status_code == ukrainian.status_code == 429
    assert english.json()["title"] == "Too many requests"
    assert ukrainian.json()["title"] != english.json()["title"]
    assert 1 <= int(english["Retry-After"]) <= 60


@override_settings(API_RATE_LIMIT="2/min")
def test_revoking_mid_window_sends_the_token_back_to_the_address_bucket():
    person = UserFactory()
    token, raw = api_token_create(user=person, name="a")
    client = Client()
    assert codes(client, 2) == [200, 200]  # the address is spent
    assert codes(client, 1, HTTP_AUTHORIZATION=f"Bearer {raw}") == [200]
    api_token_revoke(user=person, token=token)
    assert codes(client, 1, HTTP_AUTHORIZATION=f"Bearer {raw}") == [429]


# --- conditional GET ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/goals", "/api/v1/areas", "/api/v1/partnerships", "/api/v1/municipalities/2480"],
)
def test_each_read_answers_304_to_its_own_etag_only(path):
    first = Client().get(path)
    tag = first["ETag"]
    assert tag.startswith('"') and tag.endswith('"')
    assert Client().get(path, HTTP_IF_NONE_MATCH=tag).status_code == 304
    assert Client().get(path, HTTP_IF_NONE_MATCH=f"W/{tag}").status_code == 304
    assert Client().get(path, HTTP_IF_NONE_MATCH=f'"other", {tag}').status_code == 304
    assert Client().get(path, HTTP_IF_NONE_MATCH="*").status_code == 304
    assert Client().get(path, HTTP_IF_NONE_MATCH='"0000"').status_code == 200


def test_the_etag_differs_between_languages():
    english = Client().get("/api/v1/goals?lang=en")["ETag"]
    swedish = Client().get("/api/v1/goals?lang=sv")["ETag"]
    assert english != swedish
    assert Client().get("/api/v1/goals?lang=sv", HTTP_IF_NONE_MATCH=english).status_code == 200


def test_a_304_keeps_the_headers_a_cache_needs_and_has_no_body():
    tag = Client().get("/api/v1/goals?lang=uk")["ETag"]
    response = Client().get("/api/v1/goals?lang=uk", HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == tag and response["Content-Language"] == "uk"
    assert "Accept-Language" in response["Vary"]


def test_errors_carry_no_etag_and_never_answer_304():
    response = Client().get("/api/v1/partnerships/no-such-one", HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 404 and "ETag" not in response


def test_a_head_request_answers_like_get_without_a_body():
    get = Client().get("/api/v1/goals")
    head = Client().head("/api/v1/goals")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"]
