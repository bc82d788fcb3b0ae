"""Conditional GET of what the public reads: a weak ETag of the catalogue data version, the
language and the release; If-None-Match with it answers 304 after one query, without rendering."""

import pytest
from django.test import Client

from partnernet.accounts.testing import sign_in
from partnernet.api.tests.factories import UserFactory
from partnernet.partnerships.models import Partnership

pytestmark = pytest.mark.django_db

CONDITIONAL = [
    "/sv/",
    "/sv/partnerships/",
    "/sv/partnerships/?sdg=16&sort=-start",
    "/sv/partnerships/umea-kherson/",
    "/sv/map/",
    "/sv/partnerships/feed.atom",
    "/sitemap.xml",
    "/open-data/",
    "/open-data/partnerships.csv",
    "/open-data/municipalities.json",
    "/open-data/datapackage.json",
    "/open-data/catalog.jsonld",
]


def test_a_stale_or_foreign_tag_gets_the_full_answer():
    response = Client().get("/sv/partnerships/", HTTP_IF_NONE_MATCH='W/"not-the-current-one"')
    assert response.status_code == 200 and response["ETag"].startswith('W/"')


def test_signed_in_people_get_no_validator_and_always_the_full_page():
    client = sign_in(Client(), UserFactory())
    first = client.get("/sv/partnerships/umea-kherson/")
    assert first.status_code == 200 and "ETag" not in first
    anonymous_tag = Client().get("/sv/partnerships/umea-kherson/")["ETag"]
    again = client.get("/sv/partnerships/umea-kherson/", HTTP_IF_NONE_MATCH=anonymous_tag)
    assert again.status_code == 200


def test_a_write_to_the_catalogue_changes_the_tag():
    tag = Client().get("/sv/partnerships/")["ETag"]
    Partnership.objects.filter(slug="umea-kherson").update(title_sv="Umeå och Cherson")
    response = Client().get("/sv/partnerships/", HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 200 and response["ETag"] != tag


def test_each_language_has_its_own_tag():
    tags = {Client().get(f"/{lang}/partnerships/")["ETag"] for lang in ("sv", "uk", "en")}
    assert len(tags) == 3


@pytest.mark.parametrize("path", CONDITIONAL)
def test_if_none_match_answers_304_with_one_query(path, django_assert_num_queries):
    first = Client().get(path)
    assert first.status_code == 200
    tag = first["ETag"]
    assert tag.startswith('W/"')
    with django_assert_num_queries(1):  # the data version, nothing else
        again = Client().get(path, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again["ETag"] == tag
    assert b"".join(getattr(again, "streaming_content", [again.content])) == b""
