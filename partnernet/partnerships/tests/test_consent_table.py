"""partnerships.consent by table: every combination of the two answers, which refusal wins
when several apply, and a property over any sequence of attempts (an answer, once given, never
changes; a decided consent stays decided)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import event, given, settings
from hypothesis import strategies as st

from partnernet.partnerships.consent import (
    Answer,
    Consent,
    ConsentFields,
    Outcome,
    SideAnswer,
    consent_answer,
    consent_record,
    read_consent,
)

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
P, A, D = "pending", "accepted", "declined"

# (Swedish answer, partner answer) → (outcome, sides still to answer)
OUTCOMES = [
    (P, P, "waiting", ("swedish", "partner")),
    (A, P, "waiting", ("partner",)),
    (P, A, "waiting", ("swedish",)),
    (A, A, "agreed", ()),
    (D, P, "declined", ()),
    (P, D, "declined", ()),
    (A, D, "declined", ()),
    (D, A, "declined", ()),
    (D, D, "declined", ()),
]


@pytest.mark.parametrize("swedish,partner,outcome,waiting", OUTCOMES)
def test_the_outcome_of_every_pair_of_answers(swedish, partner, outcome, waiting):
    consent = Consent(swedish=SideAnswer(answer=swedish), partner=SideAnswer(answer=partner))
    assert consent.outcome == outcome
    assert consent.waiting_for == waiting


def _try(consent, side, *, accept=True, sides=("swedish", "partner")):
    with pytest.raises(ValidationError) as refused:
        consent_answer(consent, side=side, accept=accept, may_answer_for=sides, at=NOON)
    return refused.value.code


DECLINED_BY_SWEDEN = Consent(swedish=SideAnswer(answer=D))
ACCEPTED_BY_SWEDEN = Consent(swedish=SideAnswer(answer=A))
AGREED = Consent(swedish=SideAnswer(answer=A), partner=SideAnswer(answer=A))


@pytest.mark.parametrize(
    "consent,side,sides,code",
    [
        # an unknown side is refused before anything else
        (AGREED, "nobody", (), "side"),
        (Consent(), "SWEDISH", ("swedish",), "side"),
        # someone who may not answer learns nothing about the state of the consent
        (AGREED, "partner", ("swedish",), "other_side"),
        (DECLINED_BY_SWEDEN, "partner", ("swedish",), "other_side"),
        (Consent(), "swedish", (), "other_side"),
        # a decided consent is closed, even for the side that decided it
        (DECLINED_BY_SWEDEN, "swedish", ("swedish",), "closed"),
        (AGREED, "swedish", ("swedish", "partner"), "closed"),
        (DECLINED_BY_SWEDEN, "partner", ("partner",), "closed"),
        # still open, but this side has answered
        (ACCEPTED_BY_SWEDEN, "swedish", ("swedish",), "twice"),
    ],
)
def test_which_refusal_applies(consent, side, sides, code):
    assert _try(consent, side, sides=sides) == code


def test_may_answer_for_may_be_any_iterable():
    once = consent_answer(
        Consent(), side="partner", accept=True, may_answer_for=iter(["partner"]), at=NOON
    )
    assert once.partner.answer == A and once.swedish.answer == P


def test_an_answer_keeps_who_when_and_why():
    later = NOON + timedelta(hours=2)
    declined = consent_answer(
        Consent(),
        side="swedish",
        accept=False,
        may_answer_for=["swedish"],
        by=7,
        at=later,
        reason="No",
    )
    assert declined.swedish == SideAnswer(answer=D, by=7, at=later, reason="No")
    assert declined.partner == SideAnswer()


class Proposal:  # a model with a response, a time and a reason per side
    swedish_response = partner_response = Answer.PENDING
    swedish_at = partner_at = None
    swedish_reason = partner_reason = ""


FIELDS = ConsentFields(at="_at", response="_response", reason="_reason")


def test_recording_writes_only_the_answering_sides_fields():
    proposal = Proposal()
    consent_record(
        proposal,
        FIELDS,
        side="partner",
        accept=False,
        may_answer_for=["partner"],
        at=NOON,
        reason="Far",
    )
    assert (proposal.partner_response, proposal.partner_at, proposal.partner_reason) == (
        D,
        NOON,
        "Far",
    )
    assert (proposal.swedish_response, proposal.swedish_at, proposal.swedish_reason) == (
        P,
        None,
        "",
    )
    assert read_consent(proposal, FIELDS).outcome == Outcome.DECLINED


def test_a_refused_record_leaves_the_object_untouched():
    proposal = Proposal()
    consent_record(proposal, FIELDS, side="swedish", may_answer_for=["swedish"], at=NOON)
    later = NOON + timedelta(days=1)
    with pytest.raises(ValidationError):
        consent_record(
            proposal, FIELDS, side="swedish", accept=False, may_answer_for=["swedish"], at=later
        )
    assert (proposal.swedish_response, proposal.swedish_at) == (A, NOON)


ATTEMPT = st.tuples(
    st.sampled_from(["swedish", "partner", "other"]),
    st.booleans(),
    st.sampled_from([(), ("swedish",), ("partner",), ("swedish", "partner")]),
)


@pytest.mark.reaches(
    "1 answers recorded", "2 answers recorded", "outcome: agreed", "outcome: declined", each=10
)
def test_answers_never_change_and_a_decision_is_final():
    accepted_runs = []

    @settings(max_examples=150, deadline=None)
    @given(st.lists(ATTEMPT, min_size=1, max_size=8))
    def run(attempts):
        consent, recorded = Consent(), 0
        for side, accept, sides in attempts:
            before = consent
            try:
                consent = consent_answer(
                    consent, side=side, accept=accept, may_answer_for=sides, at=NOON
                )
            except ValidationError:
                assert consent == before
                continue
            recorded += 1
            # The answered side was pending and the consent was waiting; nothing else changed.
            assert before.outcome == Outcome.WAITING and before.of(side).answer == P
            assert consent.of(side).answer == (A if accept else D)
            other = "partner" if side == "swedish" else "swedish"
            assert consent.of(other) == before.of(other)
        assert recorded <= 2
        if recorded:
            accepted_runs.append(recorded)
        event(f"{recorded} answers recorded")
        event("outcome", str(consent.outcome))

    run()
    # Not vacuous: many runs recorded answers, and some recorded both.
    assert len(accepted_runs) >= 30 and 2 in accepted_runs
