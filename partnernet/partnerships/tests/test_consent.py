"""partnerships.consent: the one two-party consent rule (pure; no database)."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

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
BOTH = ("swedish", "partner")


def answer(consent, side, accept=True, sides=BOTH):
    return consent_answer(consent, side=side, accept=accept, may_answer_for=sides, at=NOON)


def test_an_unknown_side_is_refused():
    with pytest.raises(ValidationError) as refused:
        answer(Consent(), "se")
    assert refused.value.code == "side"


def test_answering_for_the_other_side_is_refused():
    with pytest.raises(ValidationError) as refused:
        answer(Consent(), "partner", sides=["swedish"])
    assert refused.value.code == "other_side"


def test_answering_twice_is_refused():
    once = answer(Consent(), "swedish")
    with pytest.raises(ValidationError) as refused:
        answer(once, "swedish")
    assert refused.value.code == "twice"


def test_a_decided_consent_takes_no_more_answers():
    declined = answer(Consent(), "swedish", accept=False)
    with pytest.raises(ValidationError) as refused:
        answer(declined, "partner")
    assert refused.value.code == "closed"


def test_waiting_agreed_and_declined():
    fresh = Consent()
    assert fresh.outcome == Outcome.WAITING and fresh.waiting_for == ("swedish", "partner")
    half = answer(fresh, "partner")
    assert half.outcome == Outcome.WAITING and half.waiting_for == ("swedish",)
    assert half.partner == SideAnswer(answer="accepted", at=NOON)
    both = answer(half, "swedish")
    assert both.outcome == Outcome.AGREED and both.waiting_for == ()
    declined = answer(half, "swedish", accept=False)
    assert declined.outcome == Outcome.DECLINED and declined.waiting_for == ()


class Letter:  # a model that can only be accepted: a timestamp and a person per side
    swedish_at = partner_at = None
    swedish_by_id = partner_by_id = None


def test_an_accept_only_model_reads_a_timestamp_as_accepted_and_cannot_decline():
    fields = ConsentFields(at="_at", by="_by")
    letter = Letter()
    assert read_consent(letter, fields).outcome == Outcome.WAITING
    consent_record(letter, fields, side="swedish", may_answer_for=BOTH, by=None, at=NOON)
    assert letter.swedish_at == NOON and letter.partner_at is None
    assert read_consent(letter, fields).swedish.answer == Answer.ACCEPTED
    with pytest.raises(ValidationError) as refused:
        consent_record(letter, fields, side="partner", accept=False, may_answer_for=BOTH, at=NOON)
    assert refused.value.code == "accept_only"
    assert letter.partner_at is None
