"""Writes for match proposals and letters of intent (split from `services.py`, which keeps the
queue and the profiles). Same rules: guarded transitions, audited, e-mails after commit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from partnernet.audit.services import audit_record
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Network, Partnership

from .models import InterestProfile, LetterOfIntent, MatchProposal, Response, Stage
from .services import _notify, _require_reason, _user, queue_entry_join, queue_entry_move


def match_constraint_error(
    *, network: Network, swedish_partner: Municipality, partner: Municipality
) -> str:
    """Why this pair may not be proposed ("" when it may): the hard constraints of matchmaking."""
    if swedish_partner.country_id != "SE" or partner.country_id == "SE":
        return _("A match pairs a Swedish municipality with a municipality in another country.")
    if Partnership.objects.filter(swedish_partner=swedish_partner, partner=partner).exists():
        return _("%(a)s and %(b)s are already partners.") % {"a": swedish_partner, "b": partner}
    excluded = InterestProfile.objects.filter(
        network=network,
        municipality__in=[swedish_partner, partner],
        excluded__in=[swedish_partner, partner],
    )
    if excluded.exists():
        return _("One of the municipalities has excluded the other.")
    if MatchProposal.objects.filter(
        network=network,
        swedish_partner=swedish_partner,
        partner=partner,
        status=MatchProposal.Status.PROPOSED,
    ).exists():
        return _("This match has already been proposed.")
    return ""


@transaction.atomic
def match_propose(
    *,
    network: Network,
    swedish_partner: Municipality,
    partner: Municipality,
    actor: Any,
    note: str,
    score: float | None = None,
    reasons: list | None = None,
) -> MatchProposal:
    """An officer proposes a pair; both municipalities are asked to accept or decline."""
    error = match_constraint_error(
        network=network, swedish_partner=swedish_partner, partner=partner
    )
    if error:
        raise ValidationError(error, code="constraint")
    for municipality in (swedish_partner, partner):
        queue_entry_join(
            municipality=municipality,
            network=network,
            actor=actor,
            reason=_("Proposed for a match"),
        )
    proposal = MatchProposal.objects.create(
        network=network,
        swedish_partner=swedish_partner,
        partner=partner,
        note=note,
        score=score,
        reasons=reasons or [],
        proposed_by=_user(actor),
    )
    audit_record(
        actor=actor, action="propose", obj=proposal, after={"status": proposal.status}, reason=note
    )
    _notify(
        [swedish_partner, partner],
        _("A partner has been proposed"),
        _("The programme officer proposes %(a)s and %(b)s as partners. Please accept or decline.")
        % {"a": swedish_partner, "b": partner},
    )
    return proposal


@transaction.atomic
def match_respond(
    *, proposal: MatchProposal, side: str, accept: bool, reason: str, actor: Any
) -> MatchProposal:
    """One side accepts or declines. Declining needs a reason and closes the proposal; when both
    have accepted, both move to "matched" and a draft letter of intent opens."""
    if side not in ("swedish", "partner"):
        raise ValidationError(_("Unknown side."), code="side")
    proposal = MatchProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != MatchProposal.Status.PROPOSED:
        raise ValidationError(_("This proposal has already been answered."), code="closed")
    if not accept:
        reason = _require_reason(reason)
    setattr(proposal, f"{side}_response", Response.ACCEPTED if accept else Response.DECLINED)
    setattr(proposal, f"{side}_reason", reason.strip())
    setattr(proposal, f"{side}_responded_at", timezone.now())
    before = proposal.status
    if not accept:
        proposal.decline()
    elif can_proceed(proposal.accept):
        proposal.accept()
    proposal.save()
    audit_record(
        actor=actor,
        action="accept" if accept else "decline",
        obj=proposal,
        before={"status": before},
        after={"status": proposal.status, "side": side},
        reason=reason,
    )
    if proposal.status == MatchProposal.Status.ACCEPTED:
        _open_letter(proposal, actor)
    elif proposal.status == MatchProposal.Status.DECLINED:
        _notify(
            [proposal.swedish_partner, proposal.partner], _("A proposed match was declined"), reason
        )
    return proposal


def _open_letter(proposal: MatchProposal, actor: Any) -> LetterOfIntent:
    reason = _("Both sides accepted the match %(a)s – %(b)s") % {
        "a": proposal.swedish_partner,
        "b": proposal.partner,
    }
    for municipality in (proposal.swedish_partner, proposal.partner):
        queue_entry_move(
            municipality=municipality,
            network=proposal.network,
            stage=Stage.MATCHED,
            actor=actor,
            reason=reason,
        )
    letter = LetterOfIntent.objects.create(
        proposal=proposal,
        network=proposal.network,
        swedish_partner=proposal.swedish_partner,
        partner=proposal.partner,
        text=_(
            "%(a)s and %(b)s intend to apply together for an inception phase in the network %(n)s."
        )
        % {"a": proposal.swedish_partner, "b": proposal.partner, "n": proposal.network},
    )
    audit_record(actor=actor, action="create", obj=letter, after={"status": letter.status})
    return letter


@transaction.atomic
def letter_confirm(*, letter: LetterOfIntent, side: str, actor: Any) -> LetterOfIntent:
    """One side confirms the letter; when both have, it is confirmed and both move on in the
    queue to "letter of intent"."""
    if side not in ("swedish", "partner"):
        raise ValidationError(_("Unknown side."), code="side")
    letter = LetterOfIntent.objects.select_for_update().get(pk=letter.pk)
    if getattr(letter, f"{side}_confirmed_at"):
        return letter
    setattr(letter, f"{side}_confirmed_at", timezone.now())
    setattr(letter, f"{side}_confirmed_by", _user(actor))
    before = letter.status
    if can_proceed(letter.confirm):
        letter.confirm()
    letter.save()
    audit_record(
        actor=actor,
        action="confirm",
        obj=letter,
        before={"status": before},
        after={"status": letter.status, "side": side},
    )
    if letter.status == LetterOfIntent.Status.CONFIRMED:
        reason = _("Letter of intent confirmed by both sides")
        for municipality in (letter.swedish_partner, letter.partner):
            queue_entry_move(
                municipality=municipality,
                network=letter.network,
                stage=Stage.LETTER_OF_INTENT,
                actor=actor,
                reason=reason,
            )
    return letter
