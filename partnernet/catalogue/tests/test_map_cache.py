"""The map's partnerships are read and rendered once per data version (`pages.cached_parts`):
a write shows at once, to every visitor; repeated views read nothing more."""

import pytest
from django.core.cache import cache

from partnernet.accounts.testing import sign_in
from partnernet.accounts.tests.factories import UserFactory
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.services import partnership_field_hide

KHERSON = "UA65100150000057191"


@pytest.mark.django_db
def test_a_partner_hidden_after_the_map_was_kept_is_gone_at_once(client):
    cache.clear()
    assert KHERSON in client.get("/en/map/").content.decode()
    p = Partnership.objects.get(slug="umea-kherson")
    partnership_field_hide(partnership=p, field="partner", reason="safety", actor=None)
    body = client.get("/en/map/").content.decode()
    assert KHERSON not in body and "Kherson" not in body
    assert "Umeå" in body


@pytest.mark.django_db
def test_a_kept_map_is_the_same_page_for_a_signed_in_person(client):
    cache.clear()
    anonymous = client.get("/en/map/")
    sign_in(client, UserFactory())
    signed_in = client.get("/en/map/")
    assert signed_in.context["map_data"] == anonymous.context["map_data"]
    assert signed_in.context["count"] == anonymous.context["count"] == 6


@pytest.mark.django_db
def test_a_kept_map_reads_only_the_data_version_and_facets(client, django_assert_max_num_queries):
    cache.clear()
    client.get("/en/map/")
    with django_assert_max_num_queries(2):
        client.get("/en/map/")
