"""The queue and matchmaking as an officer uses them: refusals first (bad filters, answering for
a side one may not answer for), then counts per country, the order of the groups, filters,
places, the history of a reorder, suggestions set apart, the score scale."""

import pytest
from django.utils import translation

from partnernet.accounts.testing import sign_in
from partnernet.lib import systemtext
from partnernet.matchmaking import candidates, matches, services
from partnernet.matchmaking.models import MatchProposal, QueueEntry, QueueMove
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea

from . import factories

pytestmark = pytest.mark.django_db


def _join(network, place):
    return services.queue_entry_join(municipality=place, network=network, actor=None, reason="r")


def _move(network, place, stage):
    services.queue_entry_move(
        municipality=place, network=network, stage=stage, actor=None, reason="r"
    )


@pytest.fixture
def queue():
    """Sweden: Aby waits, Bby matched, Cby granted; Ukraine: Dby and Eby wait, Fby withdrew."""
    network = factories.network()
    places = {}
    for name, country in (("Aby", "SE"), ("Bby", "SE"), ("Cby", "SE")):
        places[name] = factories.municipality(country, name=name)
    for name in ("Dby", "Eby", "Fby"):
        places[name] = factories.municipality("UA", name=name)
    for name in ("Bby", "Cby", "Dby", "Fby", "Aby", "Eby"):  # joining order = queue order
        _join(network, places[name])
    _move(network, places["Bby"], "matched")
    _move(network, places["Cby"], "granted")
    _move(network, places["Fby"], "withdrawn")
    education = CooperationArea.objects.get(slug="education")
    services.profile_save(
        municipality=places["Eby"],
        network=network,
        actor=None,
        text="Schools",
        source_language="en",
        areas=[education],
    )
    return network, places


def _names(html: str, names) -> list[str]:
    found = [(html.index(f">{n}</a>"), n) for n in names if f">{n}</a>" in html]
    return [n for _index, n in sorted(found)]


# Refusals ----------------------------------------------------------------------------------


def test_an_unknown_filter_value_is_said_not_dropped(client, queue):
    network, _places = queue
    sign_in(client, factories.officer())
    response = client.get(f"/en/queue/{network.slug}/?stage=sleeping&country=XX")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Select a valid choice.") == 2
    assert len(_names(html, ["Aby", "Bby", "Cby", "Dby", "Eby", "Fby"])) == 6  # unfiltered


def test_the_public_sees_no_filters_and_no_names(client, queue):
    network, _places = queue
    html = client.get(f"/en/queue/{network.slug}/?country=SE").content.decode()
    assert "Filter the queue" not in html and _names(html, ["Aby", "Dby"]) == []


@pytest.fixture
def proposal():
    network = factories.network()
    swedish, partner = factories.pair()
    made = matches.match_propose(
        network=network, swedish_partner=swedish, partner=partner, actor=None, note=""
    )
    return made, swedish, partner


def test_answering_for_the_other_side_is_refused_with_a_message(client, proposal):
    made, swedish, partner = proposal
    sign_in(client, factories.coordinator(partner))
    page = client.get(f"/en/queue/proposals/{made.pk}/").content.decode()
    assert 'value="swedish"' not in page  # only their own side is offered
    response = client.post(
        f"/en/queue/proposals/{made.pk}/", {"side": "swedish", "decision": "accept"}
    )
    html = response.content.decode()
    assert "You may not answer for this side of the pair: only for the partner side." in html
    made.refresh_from_db()
    assert (made.swedish_response, made.partner_response) == ("pending", "pending")


def test_an_officer_answers_for_either_side(client, proposal):
    made, _swedish, _partner = proposal
    sign_in(client, factories.officer())
    for side in ("partner", "swedish"):
        response = client.post(
            f"/en/queue/proposals/{made.pk}/", {"side": side, "decision": "accept"}
        )
        assert response.status_code == 302, side
    made.refresh_from_db()
    assert made.status == MatchProposal.Status.ACCEPTED


# Counts, order, filters, places ------------------------------------------------------------------


def test_counts_per_country_waiting_matched_granted(client, queue):
    network, _places = queue
    rows = client.get(f"/en/queue/{network.slug}/").context["rows"]
    table = {row["code"]: (row["waiting"], row["matched"], row["granted"]) for row in rows}
    assert table == {"SE": (1, 1, 1), "UA": (2, 0, 0)}
    assert [row["code"] for row in rows] == ["SE", "UA"]


def test_waiting_first_then_matched_then_granted_then_closed(client, queue):
    network, _places = queue
    sign_in(client, factories.officer())
    html = client.get(f"/en/queue/{network.slug}/").content.decode()
    assert _names(html, ["Aby", "Bby", "Cby", "Dby", "Eby", "Fby"]) == [
        "Dby",
        "Aby",
        "Eby",
        "Bby",
        "Cby",
        "Fby",
    ]
    headings = [html.index(f'scope="colgroup">{h}<') for h in ("Waiting", "Matched", "Granted")]
    assert headings == sorted(headings)


def test_places_are_counted_per_country_among_the_waiting(client, queue):
    network, places = queue
    sign_in(client, factories.officer())
    entries = client.get(f"/en/queue/{network.slug}/").context["entries"]
    placed = {e.municipality.name: e.place for e in entries}
    assert placed == {"Aby": 1, "Dby": 1, "Eby": 2, "Bby": None, "Cby": None, "Fby": None}


@pytest.mark.parametrize(
    "query,expected",
    [
        ("country=UA", ["Dby", "Eby", "Fby"]),
        ("stage=matched", ["Bby"]),
        ("area=education", ["Eby"]),
        ("country=SE&stage=interested", ["Aby"]),
        ("country=UA&stage=granted", []),
    ],
)
def test_filters_by_country_stage_and_area(client, queue, query, expected):
    network, _places = queue
    sign_in(client, factories.officer())
    html = client.get(f"/en/queue/{network.slug}/?{query}").content.decode()
    assert _names(html, ["Aby", "Bby", "Cby", "Dby", "Eby", "Fby"]) == expected
    if not expected:
        assert "No municipality matches these filters." in html


def test_a_reorder_is_explained_in_the_history_of_everyone_it_moved(client, queue):
    network, places = queue
    officer = factories.officer()
    # The order of the unclosed entries is Bby (matched), Dby, Aby, Eby.
    entry = QueueEntry.objects.get(municipality=places["Dby"], network=network)
    with translation.override("en"):  # the officer's language, as on their page
        services.queue_entry_reorder(entry=entry, position=1, actor=officer, reason="War damage")
    pushed = QueueEntry.objects.get(municipality=places["Bby"], network=network)
    move = QueueMove.objects.get(entry=pushed, kind="reorder")
    # Stored as a system text: each reader sees it in their language, the reason as written.
    assert systemtext.render(move.reason, "en") == "Dby was given place 1: War damage"
    assert systemtext.render(move.reason, "sv") != systemtext.render(move.reason, "en")
    assert "War damage" in systemtext.render(move.reason, "uk")
    assert (move.from_position, move.to_position) == (1, 2)
    sign_in(client, officer)
    html = client.get(f"/en/queue/{network.slug}/entries/{pushed.pk}/").content.decode()
    assert "Dby was given place 1: War damage" in html
    for name in ("Aby", "Eby"):  # behind both, not moved
        behind = QueueEntry.objects.get(municipality=places[name], network=network)
        assert not QueueMove.objects.filter(entry=behind, kind="reorder").exists()


# Suggestions -------------------------------------------------------------------------------------


@pytest.fixture
def seeker():
    network = factories.network()
    place = factories.municipality("SE", name="Sökby")
    education = CooperationArea.objects.get(slug="education")
    services.profile_save(
        municipality=place,
        network=network,
        actor=None,
        text="We offer teacher training and school democracy",
        source_language="en",
        areas=[education],
    )
    ready = factories.municipality("UA", name="Readyby")
    services.profile_save(
        municipality=ready,
        network=network,
        actor=None,
        text="We need teacher training",
        source_language="en",
        areas=[education],
        capacity=2,
    )
    kolomyia = Municipality.objects.get(code="UA26080070000092582")  # partner of Falun
    services.profile_save(
        municipality=kolomyia,
        network=network,
        actor=None,
        text="We need teacher training",
        source_language="en",
        areas=[education],
        capacity=1,
    )
    return network, place


def test_suggestions_set_apart_the_full_and_those_without_a_profile(seeker):
    network, place = seeker
    groups = candidates.suggest_grouped(network=network, municipality=place)
    assert [s.name for s in groups.ready] == ["Readyby"]
    assert [s.key for s in groups.full] == ["UA26080070000092582"]
    assert len(groups.no_profile) == 10
    assert all(s.score <= 0.22 + 1e-9 for s in groups.no_profile)


def test_the_suggestions_page_explains_the_scale_and_the_groups(client, seeker):
    network, place = seeker
    sign_in(client, factories.officer())
    html = client.get(f"/en/queue/{network.slug}/suggestions/{place.code}/").content.decode()
    assert "How the score is counted" in html
    assert "cooperation areas in common: 22 %" in html
    assert "keeps 60 % of its score" in html and "can reach at most 0.22" in html
    ready, full, bare = (
        html.index("Candidates with a profile and free capacity"),
        html.index("Set apart: no free capacity"),
        html.index("Set apart: no interest profile"),
    )
    assert ready < html.index("Readyby") < full < bare
    assert "of 1" in html
