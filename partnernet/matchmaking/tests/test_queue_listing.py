"""The officer's whole queue: the waiting municipalities first, in their order, then the
closed ones (as `selectors.queue_entries` promises), on the page as in the selector."""

import pytest

from partnernet.accounts.testing import sign_in
from partnernet.matchmaking import selectors, services

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue():
    network = factories.network()
    names = ["Aby", "Bby", "Cby", "Dby"]
    places = [factories.municipality("SE", name=name) for name in names]
    for place in places:
        services.queue_entry_join(municipality=place, network=network, actor=None, reason="r")
    # Aby (place 1) is granted, Cby withdraws: Bby and Dby wait, in that order.
    for place, stage in ((places[0], "granted"), (places[2], "withdrawn")):
        services.queue_entry_move(
            municipality=place, network=network, stage=stage, actor=None, reason="r"
        )
    return network


def test_the_selector_lists_the_waiting_first_then_the_closed(queue):
    names = [e.municipality.name for e in selectors.queue_entries(network=queue)]
    assert names[:2] == ["Bby", "Dby"]
    assert sorted(names[2:]) == ["Aby", "Cby"]


def test_a_reorder_keeps_the_closed_after_the_waiting(queue):
    waiting = {e.municipality.name: e for e in selectors.queue_entries(network=queue)}
    services.queue_entry_reorder(entry=waiting["Dby"], position=1, actor=None, reason="urgent")
    names = [e.municipality.name for e in selectors.queue_entries(network=queue)]
    assert names[:2] == ["Dby", "Bby"] and sorted(names[2:]) == ["Aby", "Cby"]


def test_the_officers_page_shows_the_same_order_with_places(client, queue):
    sign_in(client, factories.officer())
    html = client.get(f"/en/queue/{queue.slug}/").content.decode()
    rows = [html.index(f">{name}</a>") for name in ("Bby", "Dby", "Aby", "Cby")]
    assert rows[0] < rows[1] < min(rows[2:])
