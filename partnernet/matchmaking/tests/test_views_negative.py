"""The matchmaking pages on their unhappy paths: ids that do not exist (404), another
municipality's entry, profile, proposal or letter (404, as `accounts/tests/matrix.py` says:
hidden from the other coordinator), actions that are not a coordinator's (403), the wrong
method (405), and bad form input (a translated message, nothing written, never a 500)."""

import pytest

from partnernet.accounts.models import Role, RoleAssignment
from partnernet.accounts.testing import sign_in
from partnernet.matchmaking import matches, services
from partnernet.matchmaking.models import (
    InterestProfile,
    LetterOfIntent,
    MatchProposal,
    QueueEntry,
    QueueMove,
)

from . import factories

pytestmark = pytest.mark.django_db
MISSING = 987_654


@pytest.fixture
def w():
    network, (se, ua) = factories.network(), factories.pair()
    entry = services.queue_entry_join(municipality=ua, network=network, actor=None, reason="r")
    proposal = matches.match_propose(
        network=network, swedish_partner=se, partner=ua, actor=None, note=""
    )
    # The letter is between two other municipalities; `own` acts for its partner side too.
    letter_partner = factories.municipality("UA")
    accepted = matches.match_propose(
        network=network,
        swedish_partner=factories.municipality("SE"),
        partner=letter_partner,
        actor=None,
        note="",
    )
    for side in ("swedish", "partner"):
        matches.match_respond(proposal=accepted, side=side, accept=True, reason="", actor=None)
    own = factories.coordinator(ua)
    RoleAssignment.objects.create(
        user=own,
        role=Role.MUNICIPAL_COORDINATOR,
        organisation=factories.organisation_of(letter_partner),
    )
    return {
        "network": network,
        "slug": network.slug,
        "se": se,
        "ua": ua,
        "entry": entry,
        "proposal": proposal,
        "letter": LetterOfIntent.objects.get(proposal=accepted),
        "officer": factories.officer(),
        "own": own,
        "other": factories.coordinator(factories.municipality("UA")),
    }


def _urls(w) -> dict[str, tuple[str, str]]:
    s, entry = w["slug"], w["entry"].pk
    return {
        "entry": ("get", f"/en/queue/{s}/entries/{entry}/"),
        "move": ("post", f"/en/queue/{s}/entries/{entry}/move/"),
        "reorder": ("post", f"/en/queue/{s}/entries/{entry}/reorder/"),
        "profile": ("get", f"/en/queue/{s}/profiles/{w['ua'].code}/"),
        "suggestions": ("get", f"/en/queue/{s}/suggestions/{w['ua'].code}/"),
        "propose": ("post", f"/en/queue/{s}/propose/"),
        "proposal": ("get", f"/en/queue/proposals/{w['proposal'].pk}/"),
        "letter": ("get", f"/en/queue/letters/{w['letter'].pk}/"),
    }


def _call(client, how, url, data=None):
    return getattr(client, how)(url, data or {})


# Missing things ---------------------------------------------------------------------------

MISSING_NETWORK = [
    ("get", "/en/queue/no-such-network/"),
    ("get", "/en/queue/no-such-network/entries/1/"),
    ("post", "/en/queue/no-such-network/entries/1/move/"),
    ("post", "/en/queue/no-such-network/entries/1/reorder/"),
    ("get", "/en/queue/no-such-network/profiles/0191/"),
    ("get", "/en/queue/no-such-network/suggestions/0191/"),
    ("post", "/en/queue/no-such-network/propose/"),
]


@pytest.mark.parametrize("how,url", MISSING_NETWORK)
def test_a_network_that_does_not_exist_is_404_for_an_officer(client, w, how, url):
    sign_in(client, w["officer"])
    assert (
        _call(client, how, url, {"swedish": "0191", "partner": "x", "reason": "r"}).status_code
        == 404
    )


@pytest.mark.parametrize(
    "how,path",
    [
        ("get", "entries/{pk}/"),
        ("post", "entries/{pk}/move/"),
        ("post", "entries/{pk}/reorder/"),
    ],
)
def test_an_entry_that_does_not_exist_is_404(client, w, how, path):
    sign_in(client, w["officer"])
    url = f"/en/queue/{w['slug']}/" + path.format(pk=MISSING)
    data = {"stage": "matched", "position": "1", "reason": "r"}
    assert _call(client, how, url, data).status_code == 404


@pytest.mark.parametrize(
    "how,path",
    [("get", "entries/{pk}/"), ("post", "entries/{pk}/move/"), ("post", "entries/{pk}/reorder/")],
)
def test_an_entry_of_another_network_is_404_under_this_networks_address(client, w, how, path):
    sign_in(client, w["officer"])
    elsewhere = factories.network()
    url = f"/en/queue/{elsewhere.slug}/" + path.format(pk=w["entry"].pk)
    response = _call(client, how, url, {"stage": "withdrawn", "position": "1", "reason": "r"})
    assert response.status_code == 404
    assert QueueEntry.objects.get(pk=w["entry"].pk).stage == "interested"
    assert not QueueMove.objects.filter(entry=w["entry"], kind__in=["stage", "reorder"]).exists()


@pytest.mark.parametrize("code", ["NOPE", "0", "SE-0191", "%20"])
@pytest.mark.parametrize("page", ["profiles", "suggestions"])
def test_a_municipality_that_does_not_exist_is_404(client, w, page, code):
    sign_in(client, w["officer"])
    assert client.get(f"/en/queue/{w['slug']}/{page}/{code}/").status_code == 404


@pytest.mark.parametrize("who", ["officer", "own"])
@pytest.mark.parametrize("page", ["proposals", "letters"])
def test_a_proposal_or_letter_that_does_not_exist_is_404(client, w, who, page):
    sign_in(client, w[who])
    assert client.get(f"/en/queue/{page}/{MISSING}/").status_code == 404
    assert client.post(f"/en/queue/{page}/{MISSING}/", {"side": "partner"}).status_code == 404


# Other people's things --------------------------------------------------------------------

# Route → what each of our people gets (from the hand-written matrix, not from the views).
EXPECTED = {
    "entry": {"officer": 200, "own": 200, "other": 404},
    "move": {"officer": 302, "own": 403, "other": 403},
    "reorder": {"officer": 302, "own": 403, "other": 403},
    "profile": {"officer": 200, "own": 200, "other": 404},
    "suggestions": {"officer": 200, "own": 403, "other": 403},
    "propose": {"officer": 302, "own": 403, "other": 403},
    "proposal": {"officer": 200, "own": 200, "other": 404},
    "letter": {"officer": 200, "own": 200, "other": 404},
}


@pytest.mark.parametrize("who", ["officer", "own", "other"])
@pytest.mark.parametrize("route", sorted(EXPECTED))
def test_each_route_answers_each_person_as_the_matrix_says(client, w, route, who):
    sign_in(client, w[who])
    how, url = _urls(w)[route]
    assert _call(client, how, url).status_code == EXPECTED[route][who]


@pytest.mark.parametrize("route", sorted(EXPECTED))
def test_the_anonymous_are_sent_to_sign_in(client, w, route):
    how, url = _urls(w)[route]
    response = _call(client, how, url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_other_coordinator_cannot_answer_or_confirm_by_posting(client, w):
    sign_in(client, w["other"])
    proposal, letter = w["proposal"], w["letter"]
    response = client.post(
        f"/en/queue/proposals/{proposal.pk}/",
        {"side": "partner", "decision": "decline", "reason": "x"},
    )
    assert response.status_code == 404
    assert client.post(f"/en/queue/letters/{letter.pk}/", {"side": "partner"}).status_code == 404
    assert MatchProposal.objects.get(pk=proposal.pk).partner_response == "pending"
    assert LetterOfIntent.objects.get(pk=letter.pk).partner_confirmed_at is None


@pytest.mark.parametrize("route", ["move", "reorder", "propose"])
def test_a_write_route_refuses_get(client, w, route):
    sign_in(client, w["officer"])
    _how, url = _urls(w)[route]
    assert client.get(url).status_code == 405


# Bad form input ---------------------------------------------------------------------------


def _page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"stage": "matched"},
        {"stage": "matched", "reason": "   "},
        {"stage": "approved", "reason": "r"},
        {"reason": "r"},
        {},
    ],
)
def test_a_bad_move_form_says_what_is_missing_and_moves_nothing(client, w, data):
    sign_in(client, w["officer"])
    _how, url = _urls(w)["move"]
    html = _page(client.post(url, data, follow=True))
    assert "Please choose a stage and state a reason." in html
    assert QueueEntry.objects.get(pk=w["entry"].pk).stage == "interested"
    assert not QueueMove.objects.filter(entry=w["entry"], kind="stage").exists()


def test_a_forbidden_move_through_the_page_shows_the_refusal_in_swedish(client, w):
    sign_in(client, w["officer"])
    services.queue_entry_move(
        municipality=w["ua"], network=w["network"], stage="granted", actor=None, reason="r"
    )
    url = f"/sv/queue/{w['slug']}/entries/{w['entry'].pk}/move/"
    html = _page(client.post(url, {"stage": "matched", "reason": "tillbaka"}, follow=True))
    assert f"{w['ua'].name} kan inte flyttas från" in html
    assert QueueEntry.objects.get(pk=w["entry"].pk).stage == "granted"


@pytest.mark.parametrize(
    "data",
    [
        {"position": "0", "reason": "r"},
        {"position": "-1", "reason": "r"},
        {"position": "100001", "reason": "r"},
        {"position": "first", "reason": "r"},
        {"position": "1"},
        {"position": "1", "reason": " "},
    ],
)
def test_a_bad_reorder_form_says_what_is_missing_and_reorders_nothing(client, w, data):
    sign_in(client, w["officer"])
    before = dict(QueueEntry.objects.filter(network=w["network"]).values_list("pk", "position"))
    _how, url = _urls(w)["reorder"]
    html = _page(client.post(url, data, follow=True))
    assert "Please give a place and state a reason." in html
    after = dict(QueueEntry.objects.filter(network=w["network"]).values_list("pk", "position"))
    assert after == before
    assert not QueueMove.objects.filter(entry__network=w["network"], kind="reorder").exists()


def test_reordering_a_closed_entry_through_the_page_is_a_message(client, w):
    sign_in(client, w["officer"])
    services.queue_entry_move(
        municipality=w["ua"], network=w["network"], stage="withdrawn", actor=None, reason="r"
    )
    _how, url = _urls(w)["reorder"]
    html = _page(client.post(url, {"position": "1", "reason": "r"}, follow=True))
    assert "Only a waiting municipality can be reordered." in html


@pytest.mark.parametrize(
    "data", [{}, {"swedish": "0191"}, {"partner": "0191"}, {"swedish": " ", "partner": ""}]
)
def test_a_proposal_without_both_municipalities_is_a_message(client, w, data):
    sign_in(client, w["officer"])
    before = MatchProposal.objects.count()
    html = _page(client.post(f"/en/queue/{w['slug']}/propose/", data, follow=True))
    assert "Please give both municipalities." in html
    assert MatchProposal.objects.count() == before


def test_a_proposal_of_an_unknown_code_is_404_and_writes_nothing(client, w):
    sign_in(client, w["officer"])
    before = MatchProposal.objects.count()
    response = client.post(
        f"/en/queue/{w['slug']}/propose/", {"swedish": w["se"].code, "partner": "NO-SUCH-CODE"}
    )
    assert response.status_code == 404
    assert MatchProposal.objects.count() == before


def test_a_proposal_of_two_swedish_municipalities_is_a_message(client, w):
    sign_in(client, w["officer"])
    other = factories.municipality("SE")
    response = client.post(
        f"/en/queue/{w['slug']}/propose/",
        {"swedish": w["se"].code, "partner": other.code},
        follow=True,
    )
    html = _page(response)
    assert "A match pairs a Swedish municipality with a municipality in another country." in html
    assert not MatchProposal.objects.filter(partner=other).exists()


def test_proposing_the_same_pending_pair_twice_through_the_page_is_a_message(client, w):
    sign_in(client, w["officer"])
    data = {"swedish": w["se"].code.lower(), "partner": f"  {w['ua'].code} "}
    html = _page(client.post(f"/en/queue/{w['slug']}/propose/", data, follow=True))
    assert "This match has already been proposed." in html
    assert MatchProposal.objects.filter(swedish_partner=w["se"], partner=w["ua"]).count() == 1


PROFILE = {"text": "Water supply", "source_language": "en", "capacity": "1"}


@pytest.mark.parametrize(
    "change,field_error",
    [
        ({"capacity": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"capacity": "21"}, "Ensure this value is less than or equal to 20."),
        ({"capacity": "many"}, "Enter a whole number."),
        ({"text": ""}, "This field is required."),
        ({"text": "x" * 4001}, "Ensure this value has at most 4000 characters"),
        ({"source_language": "de"}, "Select a valid choice."),
        ({"contact_email": "not-an-address"}, "Enter a valid email address."),
        ({"excluded": "0191, NOPE, ALSO-NOT"}, "Unknown municipality codes: NOPE, ALSO-NOT"),
        ({"areas": ["999999"]}, "Select a valid choice."),
    ],
)
def test_a_bad_profile_form_shows_the_error_and_saves_nothing(client, w, change, field_error):
    place = factories.municipality("UA")
    own = factories.coordinator(place)
    sign_in(client, own)
    url = f"/en/queue/{w['slug']}/profiles/{place.code}/"
    html = _page(client.post(url, {**PROFILE, **change}))
    assert field_error in html
    assert not InterestProfile.objects.filter(municipality=place).exists()
    assert not QueueEntry.objects.filter(municipality=place).exists()


def test_profile_errors_are_in_the_readers_language(client, w):
    sign_in(client, w["own"])
    url = f"/sv/queue/{w['slug']}/profiles/{w['ua'].code}/"
    html = _page(client.post(url, {**PROFILE, "excluded": "NOPE"}))
    assert "Okända kommunkoder: NOPE" in html
    assert not InterestProfile.objects.filter(municipality=w["ua"]).exists()


def test_the_other_coordinator_cannot_save_a_profile(client, w):
    sign_in(client, w["other"])
    url = f"/en/queue/{w['slug']}/profiles/{w['ua'].code}/"
    assert client.post(url, {**PROFILE, "contact_name": "Intruder"}).status_code == 404
    assert not InterestProfile.objects.filter(municipality=w["ua"]).exists()


def _proposal_state(proposal) -> tuple:
    p = MatchProposal.objects.get(pk=proposal.pk)
    return (p.status, p.swedish_response, p.partner_response)


def test_declining_on_the_page_without_a_reason_is_an_error_and_records_nothing(client, w):
    sign_in(client, w["own"])
    url = f"/en/queue/proposals/{w['proposal'].pk}/"
    html = _page(client.post(url, {"side": "partner", "decision": "decline", "reason": " "}))
    assert "Please state a reason." in html
    assert _proposal_state(w["proposal"]) == ("proposed", "pending", "pending")


@pytest.mark.parametrize(
    "data",
    [
        {"side": "swedish", "decision": "accept"},  # not their side
        {"side": "both", "decision": "accept"},
        {"side": "partner", "decision": "maybe"},
        {"side": "partner"},
    ],
)
def test_an_answer_the_coordinator_may_not_give_records_nothing(client, w, data):
    sign_in(client, w["own"])
    response = client.post(f"/en/queue/proposals/{w['proposal'].pk}/", data)
    assert response.status_code == 200
    assert _proposal_state(w["proposal"]) == ("proposed", "pending", "pending")


def test_answering_a_declined_proposal_on_the_page_is_a_message(client, w):
    matches.match_respond(
        proposal=w["proposal"], side="swedish", accept=False, reason="No", actor=None
    )
    sign_in(client, w["own"])
    url = f"/en/queue/proposals/{w['proposal'].pk}/"
    html = _page(client.post(url, {"side": "partner", "decision": "accept"}))
    assert "This proposal has already been answered." in html
    assert _proposal_state(w["proposal"]) == ("declined", "declined", "pending")


def test_confirming_a_letter_twice_on_the_page_is_a_message(client, w):
    sign_in(client, w["own"])
    url = f"/en/queue/letters/{w['letter'].pk}/"
    assert client.post(url, {"side": "partner"}).status_code == 302
    first = LetterOfIntent.objects.get(pk=w["letter"].pk).partner_confirmed_at
    html = _page(client.post(url, {"side": "partner"}))
    assert "Your side has already answered." in html
    letter = LetterOfIntent.objects.get(pk=w["letter"].pk)
    assert letter.partner_confirmed_at == first and letter.status == "draft"


@pytest.mark.parametrize("side", ["swedish", "both", ""])
def test_a_confirmation_the_coordinator_may_not_give_records_nothing(client, w, side):
    sign_in(client, w["own"])
    response = client.post(f"/en/queue/letters/{w['letter'].pk}/", {"side": side})
    assert response.status_code == 200
    letter = LetterOfIntent.objects.get(pk=w["letter"].pk)
    assert (letter.swedish_confirmed_at, letter.partner_confirmed_at) == (None, None)
