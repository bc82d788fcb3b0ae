"""Refusals of match proposals and letters of intent, on fresh municipalities: the hard
constraints of a pair, answering for the other side, answering twice, acting on a closed
proposal, confirming a letter twice. A refusal leaves the rows as they were and sends nothing."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from partnernet.audit.models import AuditEntry
from partnernet.jobs.services import jobs_run_due
from partnernet.matchmaking import matches, services
from partnernet.matchmaking.models import (
    InterestProfile,
    LetterOfIntent,
    MatchProposal,
    QueueEntry,
)
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Network

from . import factories

pytestmark = pytest.mark.django_db

NOT_CROSS = "A match pairs a Swedish municipality with a municipality in another country."
EXCLUDED = "One of the municipalities has excluded the other."
ALREADY = "This match has already been proposed."


def _error(network, swedish, partner) -> str:
    with translation.override("en"):
        return matches.match_constraint_error(
            network=network, swedish_partner=swedish, partner=partner
        )


def _exclude(network, place, other):
    profile = InterestProfile.objects.create(
        municipality=place, network=network, side="offers" if place.country_id == "SE" else "needs"
    )
    profile.excluded.add(other)


def test_a_fresh_cross_country_pair_may_be_proposed():
    network, (se, ua) = factories.network(), factories.pair()
    assert _error(network, se, ua) == ""


@pytest.mark.parametrize(
    "swedish_country,partner_country",
    [("SE", "SE"), ("UA", "UA"), ("UA", "SE"), ("MD", "UA")],
)
def test_a_pair_not_swedish_plus_another_country_is_refused(swedish_country, partner_country):
    from partnernet.municipalities.models import Country

    Country.objects.get_or_create(code="MD", defaults={"name": "Moldova"})
    network = factories.network()
    a, b = factories.municipality(swedish_country), factories.municipality(partner_country)
    assert _error(network, a, b) == NOT_CROSS


def test_a_swedish_municipality_paired_with_one_outside_ukraine_is_allowed():
    from partnernet.municipalities.models import Country

    Country.objects.get_or_create(code="MD", defaults={"name": "Moldova"})
    network = factories.network()
    assert _error(network, factories.municipality("SE"), factories.municipality("MD")) == ""


def test_existing_partners_are_refused_with_both_names():
    network = Network.objects.get(slug="democratic-resilience")
    falun = Municipality.objects.get(code="2080")
    kolomyia = Municipality.objects.get(code="UA26080070000092582")
    assert _error(network, falun, kolomyia) == "Falun and Kolomyia are already partners."
    # The partnership counts in any network: a new network cannot pair them again either.
    assert _error(factories.network(), falun, kolomyia) == (
        "Falun and Kolomyia are already partners."
    )


@pytest.mark.parametrize("who_excludes", ["swedish", "partner"])
def test_an_exclusion_either_way_is_refused(who_excludes):
    network, (se, ua) = factories.network(), factories.pair()
    if who_excludes == "swedish":
        _exclude(network, se, ua)
    else:
        _exclude(network, ua, se)
    assert _error(network, se, ua) == EXCLUDED


def test_an_exclusion_in_another_network_does_not_count_here():
    here, there = factories.network(), factories.network()
    se, ua = factories.pair()
    _exclude(there, se, ua)
    assert _error(here, se, ua) == ""
    assert _error(there, se, ua) == EXCLUDED


def test_excluding_a_third_municipality_does_not_block_this_pair():
    network, (se, ua) = factories.network(), factories.pair()
    _exclude(network, se, factories.municipality("UA"))
    assert _error(network, se, ua) == ""


def test_a_pending_proposal_blocks_the_same_pair_in_the_same_network_only():
    here, there = factories.network(), factories.network()
    se, ua = factories.pair()
    matches.match_propose(network=here, swedish_partner=se, partner=ua, actor=None, note="")
    assert _error(here, se, ua) == ALREADY
    assert _error(there, se, ua) == ""
    # The same Swedish municipality with another partner is a different pair.
    assert _error(here, se, factories.municipality("UA")) == ""


def test_a_declined_proposal_may_be_proposed_again():
    network, (se, ua) = factories.network(), factories.pair()
    proposal = matches.match_propose(
        network=network, swedish_partner=se, partner=ua, actor=None, note=""
    )
    matches.match_respond(proposal=proposal, side="partner", accept=False, reason="No", actor=None)
    assert _error(network, se, ua) == ""


def test_an_accepted_proposal_may_not_be_proposed_again():
    network, (se, ua) = factories.network(), factories.pair()
    proposal = matches.match_propose(
        network=network, swedish_partner=se, partner=ua, actor=None, note=""
    )
    for side in ("swedish", "partner"):
        matches.match_respond(proposal=proposal, side=side, accept=True, reason="", actor=None)
    assert MatchProposal.objects.get(pk=proposal.pk).status == "accepted"
    assert _error(network, se, ua) == ALREADY


def test_a_refused_proposal_writes_nothing_and_tells_no_one(django_capture_on_commit_callbacks):
    network = factories.network()
    se, other_se = factories.municipality("SE"), factories.municipality("SE")
    factories.coordinator(se)
    audits = AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as no:
        matches.match_propose(
            network=network, swedish_partner=se, partner=other_se, actor=None, note="x"
        )
    assert no.value.code == "constraint"
    assert not MatchProposal.objects.filter(network=network).exists()
    assert not QueueEntry.objects.filter(network=network).exists()
    assert AuditEntry.objects.count() == audits and mail.outbox == []


def test_proposing_puts_both_in_the_queue_and_asks_both_coordinators(
    django_capture_on_commit_callbacks,
):
    network, (se, ua) = factories.network(), factories.pair()
    se_person = factories.coordinator(se, preferred_language="sv")
    ua_person = factories.coordinator(ua, preferred_language="en")
    factories.coordinator(factories.municipality("SE"))  # not concerned
    with django_capture_on_commit_callbacks(execute=True):
        proposal = matches.match_propose(
            network=network, swedish_partner=se, partner=ua, actor=None, note="water"
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([se_person.email, ua_person.email])
    english = next(m for m in mail.outbox if m.to == [ua_person.email])
    assert english.subject == "A partner has been proposed"
    assert f"/en/queue/proposals/{proposal.pk}/" in english.body
    assert set(
        QueueEntry.objects.filter(network=network).values_list("municipality_id", "stage")
    ) == {(se.pk, "interested"), (ua.pk, "interested")}


# Answering a proposal ----------------------------------------------------------------------


@pytest.fixture
def world():
    network, (se, ua) = factories.network(), factories.pair()
    return {
        "network": network,
        "se": se,
        "ua": ua,
        "se_person": factories.coordinator(se),
        "ua_person": factories.coordinator(ua),
        "stranger": factories.coordinator(factories.municipality("UA")),
        "officer": factories.officer(),
        "proposal": matches.match_propose(
            network=network, swedish_partner=se, partner=ua, actor=None, note=""
        ),
    }


def _answers(proposal) -> tuple:
    proposal = MatchProposal.objects.get(pk=proposal.pk)
    return (proposal.status, proposal.swedish_response, proposal.partner_response)


def _respond(world, who, side, accept=True, reason=""):
    return matches.match_respond(
        proposal=world["proposal"], side=side, accept=accept, reason=reason, actor=world[who]
    )


@pytest.mark.parametrize(
    "who,side",
    [
        ("se_person", "partner"),
        ("ua_person", "swedish"),
        ("stranger", "partner"),
        ("stranger", "swedish"),
    ],
)
def test_no_one_answers_for_a_side_they_do_not_act_for(world, who, side):
    with pytest.raises(ValidationError) as refused:
        _respond(world, who, side)
    assert refused.value.code == "other_side"
    assert _answers(world["proposal"]) == ("proposed", "pending", "pending")


@pytest.mark.parametrize("side", ["", "both", "Swedish", "sv", "partner "])
def test_an_unknown_side_is_refused(world, side):
    with pytest.raises(ValidationError) as refused:
        _respond(world, "officer", side)
    assert refused.value.code == "side"
    assert _answers(world["proposal"]) == ("proposed", "pending", "pending")


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_declining_without_a_reason_is_refused_and_the_side_may_still_answer(world, reason):
    with pytest.raises(ValidationError) as refused:
        _respond(world, "ua_person", "partner", accept=False, reason=reason)
    assert refused.value.code == "reason_required"
    assert _answers(world["proposal"]) == ("proposed", "pending", "pending")
    _respond(world, "ua_person", "partner", accept=True)
    assert _answers(world["proposal"]) == ("proposed", "pending", "accepted")


@pytest.mark.parametrize("first", [True, False])
def test_a_side_answers_only_once(world, first):
    _respond(world, "se_person", "swedish", accept=first, reason="Not now")
    expected = _answers(world["proposal"])
    for accept in (True, False):
        with pytest.raises(ValidationError) as refused:
            _respond(world, "se_person", "swedish", accept=accept, reason="Changed my mind")
        # An accepted side is "twice"; a decline closed the whole proposal.
        assert refused.value.code == ("twice" if first else "closed")
    assert _answers(world["proposal"]) == expected


def test_after_a_decline_no_side_may_answer_and_no_letter_opens(world):
    _respond(world, "ua_person", "partner", accept=False, reason="We need water expertise")
    assert _answers(world["proposal"]) == ("declined", "pending", "declined")
    for who, side in (("se_person", "swedish"), ("officer", "swedish"), ("officer", "partner")):
        with pytest.raises(ValidationError) as refused:
            _respond(world, who, side)
        assert refused.value.code == "closed"
    assert not LetterOfIntent.objects.filter(proposal=world["proposal"]).exists()
    stages = set(
        QueueEntry.objects.filter(network=world["network"]).values_list("stage", flat=True)
    )
    assert stages == {"interested"}


def test_an_accepted_proposal_takes_no_more_answers(world):
    _respond(world, "se_person", "swedish")
    _respond(world, "ua_person", "partner")
    with pytest.raises(ValidationError) as refused:
        _respond(world, "officer", "partner", accept=False, reason="Too late")
    assert refused.value.code == "closed"
    assert _answers(world["proposal"]) == ("accepted", "accepted", "accepted")
    assert LetterOfIntent.objects.filter(proposal=world["proposal"]).count() == 1


def test_the_decline_reason_is_kept_and_both_coordinators_are_told(
    world, django_capture_on_commit_callbacks
):
    _respond(world, "se_person", "swedish")
    jobs_run_due(now=timezone.now())  # the e-mails of the steps before, sent at their commits
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _respond(world, "ua_person", "partner", accept=False, reason="  Too far away  ")
    proposal = MatchProposal.objects.get(pk=world["proposal"].pk)
    assert (proposal.status, proposal.partner_reason) == ("declined", "Too far away")
    assert proposal.swedish_response == "accepted" and proposal.partner_responded_at
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world["se_person"].email, world["ua_person"].email]
    )
    assert {m.to[0] for m in mail.outbox}.isdisjoint({world["stranger"].email})


def test_an_officer_may_answer_for_either_side(world):
    _respond(world, "officer", "partner")
    _respond(world, "officer", "swedish")
    assert _answers(world["proposal"]) == ("accepted", "accepted", "accepted")
    assert set(
        QueueEntry.objects.filter(network=world["network"]).values_list("stage", flat=True)
    ) == {"matched"}


def test_one_acceptance_opens_no_letter_and_moves_no_one(world):
    _respond(world, "se_person", "swedish")
    assert _answers(world["proposal"]) == ("proposed", "accepted", "pending")
    assert not LetterOfIntent.objects.filter(proposal=world["proposal"]).exists()
    stages = set(
        QueueEntry.objects.filter(network=world["network"]).values_list("stage", flat=True)
    )
    assert stages == {"interested"}


def test_an_acceptance_that_cannot_move_the_queue_is_undone_entirely(world):
    """If one side was granted meanwhile, the match cannot move it back to matched: the second
    acceptance is refused as a whole (no half-accepted proposal, no letter)."""
    services.queue_entry_move(
        municipality=world["ua"], network=world["network"], stage="granted", actor=None, reason="r"
    )
    _respond(world, "se_person", "swedish")
    with pytest.raises(ValidationError) as refused:
        _respond(world, "ua_person", "partner")
    assert refused.value.code == "transition_not_allowed"
    assert _answers(world["proposal"]) == ("proposed", "accepted", "pending")
    assert not LetterOfIntent.objects.filter(proposal=world["proposal"]).exists()
    assert QueueEntry.objects.get(municipality=world["se"], network=world["network"]).stage == (
        "interested"
    )


# Confirming a letter -----------------------------------------------------------------------


@pytest.fixture
def letter(world):
    _respond(world, "officer", "swedish")
    _respond(world, "officer", "partner")
    return LetterOfIntent.objects.get(proposal=world["proposal"])


def _confirmations(letter) -> tuple:
    letter = LetterOfIntent.objects.get(pk=letter.pk)
    return (letter.status, bool(letter.swedish_confirmed_at), bool(letter.partner_confirmed_at))


def test_a_new_letter_names_both_and_waits_for_both(world, letter):
    assert _confirmations(letter) == ("draft", False, False)
    with translation.override("en"):
        assert str(world["se"]) in letter.text and str(world["ua"]) in letter.text


@pytest.mark.parametrize(
    "who,side", [("se_person", "partner"), ("ua_person", "swedish"), ("stranger", "partner")]
)
def test_no_one_confirms_a_letter_for_a_side_they_do_not_act_for(world, letter, who, side):
    with pytest.raises(ValidationError) as refused:
        matches.letter_confirm(letter=letter, side=side, actor=world[who])
    assert refused.value.code == "other_side"
    assert _confirmations(letter) == ("draft", False, False)


def test_an_unknown_side_cannot_confirm(world, letter):
    with pytest.raises(ValidationError) as refused:
        matches.letter_confirm(letter=letter, side="both", actor=world["officer"])
    assert refused.value.code == "side"
    assert _confirmations(letter) == ("draft", False, False)


def test_a_side_confirms_once_and_a_confirmed_letter_takes_no_more(world, letter):
    matches.letter_confirm(letter=letter, side="partner", actor=world["ua_person"])
    with pytest.raises(ValidationError) as twice:
        matches.letter_confirm(letter=letter, side="partner", actor=world["ua_person"])
    assert twice.value.code == "twice"
    assert _confirmations(letter) == ("draft", False, True)
    assert set(
        QueueEntry.objects.filter(network=world["network"]).values_list("stage", flat=True)
    ) == {"matched"}
    matches.letter_confirm(letter=letter, side="swedish", actor=world["se_person"])
    assert _confirmations(letter) == ("confirmed", True, True)
    with pytest.raises(ValidationError) as closed:
        matches.letter_confirm(letter=letter, side="swedish", actor=world["officer"])
    assert closed.value.code == "closed"
    confirmed = LetterOfIntent.objects.get(pk=letter.pk)
    assert confirmed.swedish_confirmed_by_id == world["se_person"].pk
    assert confirmed.partner_confirmed_by_id == world["ua_person"].pk
    assert (
        AuditEntry.objects.filter(
            object_type="matchmaking.letterofintent", object_id=str(letter.pk), action="confirm"
        ).count()
        == 2
    )


def test_a_confirmation_that_cannot_move_the_queue_is_undone(world, letter):
    services.queue_entry_move(
        municipality=world["se"],
        network=world["network"],
        stage="withdrawn",
        actor=None,
        reason="r",
    )
    matches.letter_confirm(letter=letter, side="partner", actor=world["ua_person"])
    with pytest.raises(ValidationError) as refused:
        matches.letter_confirm(letter=letter, side="swedish", actor=world["se_person"])
    assert refused.value.code == "transition_not_allowed"
    assert _confirmations(letter) == ("draft", False, True)
    assert QueueEntry.objects.get(municipality=world["ua"], network=world["network"]).stage == (
        "matched"
    )
