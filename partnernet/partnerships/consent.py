"""Two-party consent: the one rule behind everything both municipalities of a pair must agree
to (issue 11.1) — a match proposal both answer, a letter of intent both confirm, an agreement
both accept.

`Consent` is pure: from the two sides' answers it says whether the thing is agreed (both
accepted), declined (either declined) or waiting, and for which sides. `consent_answer` records
one side's answer and refuses an unknown side, a side the person may not answer for, a side
that has already answered, and a consent already decided. Each model keeps its own fields;
`read_consent` / `write_answer` map them (`<side>_response`, `<side>_responded_at`, … or only
a timestamp and a person, for things that can only be accepted).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import PairSide


class Answer(models.TextChoices):
    PENDING = "pending", gettext_lazy("waiting for an answer")
    ACCEPTED = "accepted", gettext_lazy("accepted")
    DECLINED = "declined", gettext_lazy("declined")


class Outcome(models.TextChoices):
    WAITING = "waiting", gettext_lazy("waiting")
    AGREED = "agreed", gettext_lazy("agreed by both")
    DECLINED = "declined", gettext_lazy("declined")


@dataclass(frozen=True)
class SideAnswer:
    answer: str = Answer.PENDING
    by: Any = None
    at: datetime | None = None
    reason: str = ""


@dataclass(frozen=True)
class Consent:
    swedish: SideAnswer = SideAnswer()
    partner: SideAnswer = SideAnswer()

    def of(self, side: str) -> SideAnswer:
        return self.swedish if side == PairSide.SWEDISH else self.partner

    @property
    def outcome(self) -> Outcome:
        answers = {self.swedish.answer, self.partner.answer}
        if Answer.DECLINED in answers:
            return Outcome.DECLINED
        if answers == {Answer.ACCEPTED}:
            return Outcome.AGREED
        return Outcome.WAITING

    @property
    def waiting_for(self) -> tuple[PairSide, ...]:
        """The sides still to answer (none once the consent is decided)."""
        if self.outcome != Outcome.WAITING:
            return ()
        return tuple(side for side in PairSide if self.of(side).answer == Answer.PENDING)

    def answered(self, side: str, answer: SideAnswer) -> Consent:
        field = "swedish" if side == PairSide.SWEDISH else "partner"
        return replace(self, **{field: answer})


def consent_answer(
    consent: Consent,
    *,
    side: str,
    accept: bool,
    may_answer_for: Iterable[str],
    by: Any = None,
    at: datetime,
    reason: str = "",
) -> Consent:
    """The consent after `side` accepts or declines (pure; raises ValidationError with a
    translated message and a code when the answer may not be given)."""
    if side not in PairSide.values:
        raise ValidationError(_("Unknown side."), code="side")
    if side not in set(may_answer_for):
        raise ValidationError(_("You may not answer for the other side."), code="other_side")
    if consent.outcome != Outcome.WAITING:
        raise ValidationError(_("This has already been decided."), code="closed")
    if consent.of(side).answer != Answer.PENDING:
        raise ValidationError(_("Your side has already answered."), code="twice")
    answer = Answer.ACCEPTED if accept else Answer.DECLINED
    return consent.answered(side, SideAnswer(answer=answer, by=by, at=at, reason=reason))


@dataclass(frozen=True)
class ConsentFields:
    """How a model stores each side's answer: `{side}{suffix}` for each part it has. A model
    without `response` can only be accepted (a timestamp set means accepted)."""

    at: str
    by: str = ""
    response: str = ""
    reason: str = ""

    def name(self, side: str, part: str) -> str:
        suffix = getattr(self, part)
        return f"{side}{suffix}" if suffix else ""


def read_consent(obj: Any, fields: ConsentFields) -> Consent:
    def side_answer(side: str) -> SideAnswer:
        at = getattr(obj, fields.name(side, "at"))
        if fields.response:
            answer = getattr(obj, fields.name(side, "response"))
        else:
            answer = Answer.ACCEPTED if at else Answer.PENDING
        by_field = fields.name(side, "by")
        reason_field = fields.name(side, "reason")
        return SideAnswer(
            answer=answer,
            by=getattr(obj, f"{by_field}_id") if by_field else None,
            at=at,
            reason=getattr(obj, reason_field) if reason_field else "",
        )

    return Consent(swedish=side_answer(PairSide.SWEDISH), partner=side_answer(PairSide.PARTNER))


def write_answer(obj: Any, fields: ConsentFields, consent: Consent, side: str) -> None:
    """Copy `side`'s answer from `consent` onto the model's own fields (not saved)."""
    answer = consent.of(side)
    if not fields.response and answer.answer != Answer.ACCEPTED:
        raise ValidationError(_("This can only be accepted."), code="accept_only")
    setattr(obj, fields.name(side, "at"), answer.at)
    if fields.response:
        setattr(obj, fields.name(side, "response"), answer.answer)
    if fields.by:
        setattr(obj, fields.name(side, "by"), answer.by)
    if fields.reason:
        setattr(obj, fields.name(side, "reason"), answer.reason)


def consent_record(
    obj: Any,
    fields: ConsentFields,
    *,
    side: str,
    accept: bool = True,
    may_answer_for: Iterable[str],
    by: Any = None,
    at: datetime,
    reason: str = "",
) -> Consent:
    """Record one side's answer on `obj` (a row the caller has locked; not saved) and return
    the consent after it. The services of proposals, letters and agreements call this."""
    consent = consent_answer(
        read_consent(obj, fields),
        side=side,
        accept=accept,
        may_answer_for=may_answer_for,
        by=by,
        at=at,
        reason=reason,
    )
    write_answer(obj, fields, consent, side)
    return consent


def consent_withdraw(
    obj: Any, fields: ConsentFields, *, side: str, may_answer_for: Iterable[str]
) -> Consent:
    """Take back one side's acceptance on `obj` (a row the caller has locked; not saved), for a
    thing that stays open to change (an application's sign-off while it is a draft). Refuses an
    unknown side, the other side's answer and a side that has not answered."""
    if side not in PairSide.values:
        raise ValidationError(_("Unknown side."), code="side")
    if side not in set(may_answer_for):
        raise ValidationError(_("You may not answer for the other side."), code="other_side")
    if read_consent(obj, fields).of(side).answer == Answer.PENDING:
        raise ValidationError(_("Your side has not answered."), code="not_answered")
    consent_clear(obj, fields, sides=(side,))
    return read_consent(obj, fields)


def consent_clear(
    obj: Any, fields: ConsentFields, *, sides: Iterable[str] = PairSide.values
) -> list[str]:
    """Forget the answers of `sides` on `obj` (not saved): what they agreed to has changed.
    Returns the sides that had answered."""
    cleared = []
    for side in sides:
        if read_consent(obj, fields).of(side).answer != Answer.PENDING:
            cleared.append(side)
        setattr(obj, fields.name(side, "at"), None)
        for part in ("by", "reason"):
            if fields.name(side, part):
                setattr(obj, fields.name(side, part), "" if part == "reason" else None)
        if fields.response:
            setattr(obj, fields.name(side, "response"), Answer.PENDING)
    return cleared
