"""The network page at any size: its key figures from aggregate queries and the public index,
its partnerships one page at a time, the same number of queries for 3 or 60 partnerships."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from partnernet.catalogue.pages import NETWORK_PAGE_SIZE, network_key_figures
from partnernet.partnerships.models import CooperationArea, Partnership
from partnernet.reports.tests import programme_fixture

pytestmark = pytest.mark.django_db


def _address(network) -> str:
    with translation.override("en"):
        return reverse("catalogue:network", kwargs={"slug": network.slug})


def _make(network, count: int, offset: int = 0) -> list[Partnership]:
    area = CooperationArea.objects.get(slug="education")
    se = programme_fixture.free_municipalities("SE", count, offset)
    ua = programme_fixture.free_municipalities("UA", count, offset)
    return [
        programme_fixture.partnership(
            network, s, u, area, publication="published", summary_sv="Om samarbetet"
        )
        for s, u in zip(se, ua, strict=True)
    ]


def _queries(client: Client, address: str) -> int:
    client.get(address)  # the public index of this data version is built once, not per view
    with CaptureQueriesContext(connection) as seen:
        assert client.get(address).status_code == 200
    return len(seen)


def test_an_unknown_page_number_shows_a_page_not_an_error():
    network = programme_fixture.network()
    _make(network, 2)
    for page in ("0", "-1", "abc", "999999", "1e9"):
        assert Client().get(_address(network), {"page": page}).status_code == 200


def test_the_number_of_queries_does_not_grow_with_the_partnerships():
    network = programme_fixture.network()
    client = Client()
    _make(network, 3)
    few = _queries(client, _address(network))
    _make(network, 57, offset=3)
    assert _queries(client, _address(network)) == few


def test_partnerships_are_shown_one_page_at_a_time_by_title():
    network = programme_fixture.network()
    made = _make(network, NETWORK_PAGE_SIZE + 5)
    client = Client()
    with translation.override("en"):
        first = client.get(_address(network)).content.decode()
        second = client.get(_address(network), {"page": "2"}).content.decode()
        shown = [p.get_absolute_url() for p in made]
    on_first = [url for url in shown if f'href="{url}"' in first]
    on_second = [url for url in shown if f'href="{url}"' in second]
    assert len(on_first) == NETWORK_PAGE_SIZE
    assert len(on_second) == 5
    assert not set(on_first) & set(on_second)
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert 'data-figure="partnerships">29<' in second  # the figures cover every page


def test_key_figures_match_a_hand_count_with_private_values():
    network = programme_fixture.network()
    a, b, c, d, e = _make(network, 5)
    # Whole kronor: the field keeps no öre (PostgreSQL would round 100 000.50).
    Partnership.objects.filter(pk=a.pk).update(granted_amount=Decimal(100_000))
    Partnership.objects.filter(pk=b.pk).update(
        granted_amount=Decimal(40_000), private_fields=["granted_amount"]
    )
    # A private partner does not hide the amount: it is still a public figure.
    Partnership.objects.filter(pk=c.pk).update(
        granted_amount=Decimal(25_000), private_fields=["partner"]
    )
    Partnership.objects.filter(pk=d.pk).update(
        granted_amount=Decimal(7_000), private_fields=["summary", "granted_amount"]
    )
    Partnership.objects.filter(pk=e.pk).update(granted_amount=Decimal(3_000), publication="draft")
    assert network_key_figures(network) == {
        "partnerships": 4,  # e is a draft
        "granted": Decimal(125_000),  # 100 000 + 25 000; b and d keep theirs private
        "activities_done": 0,
    }
    page = Client().get(_address(network)).content.decode()
    assert 'data-figure="partnerships">4<' in page
