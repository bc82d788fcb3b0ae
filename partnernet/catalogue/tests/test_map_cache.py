"""The map's page and its GeoJSON are kept per data version (`pages.cached_page`,
`pages.map_geojson`): a write shows at once, to every visitor; repeated views read nothing
more than the data version."""

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
    assert KHERSON in client.get("/en/map/data.geojson").content.decode()
    p = Partnership.objects.get(slug="umea-kherson")
    partnership_field_hide(partnership=p, field="partner", reason="safety", actor=None)
    for path in ("/en/map/", "/en/map/data.geojson"):
        body = client.get(path).content.decode()
        assert KHERSON not in body and "Kherson" not in body
        assert "Umeå" in body


@pytest.mark.django_db
def test_a_kept_map_is_the_same_for_a_signed_in_person(client):
    cache.clear()
    anonymous = client.get("/en/map/")
    data = client.get("/en/map/data.geojson").content
    sign_in(client, UserFactory())
    signed_in = client.get("/en/map/")
    assert signed_in.context["count"] == anonymous.context["count"] == 6
    assert [p.pk for p in signed_in.context["page"]] == [p.pk for p in anonymous.context["page"]]
    assert client.get("/en/map/data.geojson").content == data


@pytest.mark.django_db
def test_a_kept_map_reads_only_the_data_version(client, django_assert_max_num_queries):
    cache.clear()
    client.get("/en/map/")
    client.get("/en/map/data.geojson?area=education")
    with django_assert_max_num_queries(1):
        client.get("/en/map/")
    with django_assert_max_num_queries(1):
        client.get("/en/map/data.geojson?area=education")
