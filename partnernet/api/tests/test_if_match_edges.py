"""If-Match at its edges: which refusal comes first, no ETag for strangers, and the header's
grammar as a property (a tag list matches exactly when it holds the current tag or `*`)."""

import json

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import event, given
from hypothesis import strategies as st

from partnernet.api.own import if_match_holds
from partnernet.api.services import api_token_create
from partnernet.audit.models import AuditEntry
from partnernet.partnerships.models import Partnership

from .factories import coordinator_of, partnership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def call(method: str, raw: str, slug: str, body=None, **headers):
    client = Client()
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "en", **headers}
    url = f"/api/v1/me/partnerships/{slug}"
    if method == "get":
        return client.get(url, **kwargs)
    return client.patch(url, data=json.dumps(body), content_type="application/json", **kwargs)


def test_a_stranger_with_any_if_match_gets_404_and_no_etag():
    item = partnership(slug="stockholm-etag")
    other = Partnership.objects.get(slug="falun-kolomyia")
    raw = api_token_create(user=coordinator_of(other), name="x")[1]
    for if_match in ('"stale"', "*"):
        response = call(
            "patch", raw, item.slug, {"language": "en", "summary": "x"}, HTTP_IF_MATCH=if_match
        )
        assert response.status_code == 404 and "ETag" not in response
    item.refresh_from_db()
    assert item.summary_en == "Planning with residents."


def test_a_bad_body_with_a_stale_tag_is_422_not_412():
    item = partnership(slug="stockholm-etag")
    raw = api_token_create(user=coordinator_of(item), name="x")[1]
    response = call("patch", raw, item.slug, {"language": "de"}, HTTP_IF_MATCH='"stale"')
    assert response.status_code == 422


def test_a_412_writes_no_audit_entry_and_changes_no_time():
    item = partnership(slug="stockholm-etag")
    raw = api_token_create(user=coordinator_of(item), name="x")[1]
    updated, count = item.updated_at, AuditEntry.objects.filter(action="update").count()
    response = call(
        "patch", raw, item.slug, {"language": "sv", "summary": "Ny."}, HTTP_IF_MATCH='"stale"'
    )
    assert response.status_code == 412
    item.refresh_from_db()
    assert item.updated_at == updated and item.summary_sv == "Planering med invånare."
    assert AuditEntry.objects.filter(action="update").count() == count


def test_the_etag_after_a_patch_is_the_one_a_read_gives():
    item = partnership(slug="stockholm-etag")
    raw = api_token_create(user=coordinator_of(item), name="x")[1]
    written = call("patch", raw, item.slug, {"language": "en", "summary": "New."})
    read = call("get", raw, f"{item.slug}?lang=en")
    assert written["ETag"] == read["ETag"]
    again = call(
        "patch", raw, item.slug, {"language": "en", "summary": "Newer."}, HTTP_IF_MATCH=read["ETag"]
    )
    assert again.status_code == 200


def test_a_change_by_someone_else_in_another_language_also_makes_the_tag_stale():
    item = partnership(slug="stockholm-etag")
    first = api_token_create(user=coordinator_of(item), name="a")[1]
    second = api_token_create(user=coordinator_of(item), name="b")[1]
    tag = call("get", first, f"{item.slug}?lang=en")["ETag"]
    assert (
        call("patch", second, item.slug, {"language": "uk", "summary": "Нове."}).status_code == 200
    )
    stale = call("patch", first, item.slug, {"language": "en", "summary": "x"}, HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
    item.refresh_from_db()
    assert item.summary_en == "Planning with residents." and item.summary_uk == "Нове."


TAG = st.text("0123456789abcdef", min_size=1, max_size=32).map(lambda s: f'"{s}"')
CURRENT = '"c0ffee"'


@pytest.mark.reaches("empty list", "some other tags")
@given(others=st.lists(TAG.filter(lambda t: t != CURRENT), max_size=5))
def test_a_list_without_the_current_tag_or_a_star_never_holds(others):
    event("empty list" if not others else "some other tags")
    header = ", ".join(others)
    # An empty header names no tag at all: it does not hold (only a missing header does).
    assert if_match_holds(header, {CURRENT}) is False


@pytest.mark.reaches("star", "current tag", "first", "last")
@given(others=st.lists(TAG, max_size=5), position=st.integers(0, 5), star=st.booleans())
def test_a_list_with_the_current_tag_or_a_star_anywhere_holds(others, position, star):
    position = min(position, len(others))
    event("star" if star else "current tag")
    if position == 0:
        event("first")
    if position == len(others):
        event("last")
    listed = [*others[:position], "*" if star else CURRENT, *others[position:]]
    assert if_match_holds(",".join(listed), {CURRENT}) is True
    assert if_match_holds(" , ".join(listed), {CURRENT}) is True


@pytest.mark.reaches("one-character tag", "longer tag")
@given(tag=TAG)
def test_a_weak_form_of_the_current_tag_never_holds(tag):
    event("one-character tag" if len(tag) == 3 else "longer tag")  # the quotes are 2
    assert if_match_holds(f"W/{tag}", {tag}) is False
    assert if_match_holds(tag, {tag}) is True


def test_a_missing_header_holds_and_an_empty_one_does_not():
    assert if_match_holds(None, {CURRENT}) is True
    assert if_match_holds("", {CURRENT}) is False
    assert if_match_holds(" , ", {CURRENT}) is False
