"""The network page's public key figures: money granted, partnerships, activities done, from
public data only. A partnership that is not published, or that keeps its amount private, adds
nothing to the money; an activity that is not done or not public adds nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from partnernet.catalogue.pages import network_key_figures
from partnernet.partnerships.models import CooperationArea, Partnership
from partnernet.workspace.models import Activity

from . import programme_fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    net = programme_fixture.network()
    area = CooperationArea.objects.get(slug="education")
    se = programme_fixture.free_municipalities("SE", 3)
    ua = programme_fixture.free_municipalities("UA", 3)
    shown = programme_fixture.partnership(
        net,
        se[0],
        ua[0],
        area,
        publication="published",
        granted_amount=Decimal(100_000),
        summary_sv="Om samarbetet",
    )
    secret_amount = programme_fixture.partnership(
        net,
        se[1],
        ua[1],
        area,
        publication="published",
        granted_amount=Decimal(50_000),
        private_fields=["granted_amount"],
        summary_sv="Om samarbetet",
    )
    draft = programme_fixture.partnership(
        net, se[2], ua[2], area, granted_amount=Decimal(70_000), summary_sv="Om samarbetet"
    )
    day = timezone.localdate() - timedelta(days=5)
    for partnership, status, public in (
        (shown, "done", True),
        (shown, "done", False),
        (shown, "planned", True),
        (secret_amount, "done", True),
        (draft, "done", True),
    ):
        Activity.objects.create(
            partnership=partnership,
            kind="workshop",
            title="Workshop",
            starts_on=day,
            status=status,
            is_public=public,
        )
    return net


def test_only_public_data_counts(network):
    assert network_key_figures(network) == {
        "partnerships": 2,  # the draft is not published
        "granted": Decimal(100_000),  # neither the private amount nor the draft's
        "activities_done": 2,  # done and public, of published partnerships
    }


def test_the_network_page_shows_the_key_figures(network):
    with translation.override("en"):
        address = reverse("catalogue:network", kwargs={"slug": network.slug})
    page = Client().get(address).content.decode()
    assert 'data-figure="partnerships">2<' in page
    assert 'data-figure="granted">SEK\xa0100,000<' in page
    assert 'data-figure="activities">2<' in page
    assert "50,000" not in page and "170,000" not in page and "220,000" not in page


def test_the_page_is_not_cached_so_a_change_shows_at_once(network):
    """The network page is drawn on every request (no ETag or data version): a grant recorded
    on a published partnership is in the next answer."""
    with translation.override("en"):
        address = reverse("catalogue:network", kwargs={"slug": network.slug})
    client = Client()
    first = client.get(address)
    assert "ETag" not in first
    shown = Partnership.objects.get(network=network, granted_amount=Decimal(100_000))
    Partnership.objects.filter(pk=shown.pk).update(granted_amount=Decimal(130_000))
    assert 'data-figure="granted">SEK\xa0130,000<' in client.get(address).content.decode()
