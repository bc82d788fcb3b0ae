"""Writes for match proposals and letters of intent (split from `services.py`, which keeps the
queue and the profiles). Same rules: guarded transitions, audited, e-mails after commit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partnernet.accounts.models import User
from partnernet.accounts.notify import Message
from partnernet.accounts.permissions import Perm
from partnernet.audit.services import audit_record
from partnernet.lib.systemtext import system_text
from partnernet.municipalities import partners
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.consent import Outcome, consent_record
from partnernet.partnerships.models import Network, PairSide, Partnership

from .models import InterestProfile, LetterOfIntent, MatchProposal, Stage
from .selectors import sides_for_user
from .services import (
    acting_person,
    notify_coordinators,
    queue_entry_join,
    queue_entry_move,
    reason_required,
)


def match_constraint_error(
    *, network: Network, swedish_partner: Municipality, partner: Municipality
) -> str:
    """Why this pair may not be proposed ("" when it may): the hard constraints of matchmaking."""
    if not partners.is_pair(swedish_partner, partner):
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
        # An accepted match has its letter of intent: proposing it again would open a second
        # one, or (once the letter is confirmed) a proposal no one could ever accept.
        status__in=[MatchProposal.Status.PROPOSED, MatchProposal.Status.ACCEPTED],
    ).exists():
        return _("This match has already been proposed.")
    return ""


@transaction.atomic
def match_propose(
    *,
    network: Network,
    swedish_partner: Municipality,
    partner: Municipality,
    actor: User,
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
            reason=system_text(gettext_noop("Proposed for a match")),
        )
    proposal = MatchProposal.objects.create(
        network=network,
        swedish_partner=swedish_partner,
        partner=partner,
        note=note,
        score=score,
        reasons=reasons or [],
        proposed_by=acting_person(actor),
    )
    audit_record(
        actor=actor, action="propose", obj=proposal, after={"status": proposal.status}, reason=note
    )
    notify_coordinators(
        [swedish_partner, partner],
        Message(
            subject=gettext_noop("A partner has been proposed"),
            body=gettext_noop(
                "The programme officer proposes %(a)s and %(b)s as partners. Please accept or "
                "decline."
            ),
            params={"a": swedish_partner, "b": partner},
            link=reverse("matchmaking:proposal", kwargs={"pk": proposal.pk}),
        ),
    )
    return proposal


@transaction.atomic
def match_respond(
    *, proposal: MatchProposal, side: str, accept: bool, reason: str, actor: User
) -> MatchProposal:
    """One side accepts or declines. Declining needs a reason and closes the proposal; when both
    have accepted, both move to "matched" and a draft letter of intent opens."""
    if side not in PairSide.values:
        raise ValidationError(_("Unknown side."), code="side")
    proposal = MatchProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != MatchProposal.Status.PROPOSED:
        raise ValidationError(_("This proposal has already been answered."), code="closed")
    if not accept:
        reason = reason_required(reason)
    consent = consent_record(
        proposal,
        proposal.CONSENT,
        side=side,
        accept=accept,
        may_answer_for=_sides(actor, proposal, Perm.MATCH_RESPOND),
        at=timezone.now(),
        reason=reason.strip(),
    )
    before = proposal.status
    if consent.outcome == Outcome.DECLINED:
        proposal.decline()
    elif consent.outcome == Outcome.AGREED:
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
        notify_coordinators(
            [proposal.swedish_partner, proposal.partner],
            Message(
                subject=gettext_noop("A proposed match was declined"),
                body=gettext_noop("The proposed match %(a)s – %(b)s was declined: %(reason)s"),
                params={"a": proposal.swedish_partner, "b": proposal.partner, "reason": reason},
                # A person's own words: shown as written, in every reader's e-mail.
                link=reverse("matchmaking:proposal", kwargs={"pk": proposal.pk}),
            ),
        )
    return proposal


def _sides(actor: User, pair: MatchProposal | LetterOfIntent, perm: Perm) -> list[str]:
    """The sides of the pair `actor` may answer for (the system, acting for no one: both)."""
    if not getattr(actor, "is_authenticated", False):
        return list(PairSide.values)
    return sides_for_user(actor, swedish=pair.swedish_partner, partner=pair.partner, perm=perm)


def _open_letter(proposal: MatchProposal, actor: User) -> LetterOfIntent:
    reason = system_text(
        gettext_noop("Both sides accepted the match %(a)s – %(b)s"),
        a=proposal.swedish_partner,
        b=proposal.partner,
    )
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
    notify_coordinators(
        [proposal.swedish_partner, proposal.partner],
        Message(
            subject=gettext_noop("A letter of intent waits for your confirmation"),
            body=gettext_noop(
                "Both %(a)s and %(b)s accepted the match. Please read and confirm the letter of "
                "intent."
            ),
            params={"a": proposal.swedish_partner, "b": proposal.partner},
            link=reverse("matchmaking:letter", kwargs={"pk": letter.pk}),
        ),
    )
    return letter


@transaction.atomic
def letter_confirm(*, letter: LetterOfIntent, side: str, actor: User) -> LetterOfIntent:
    """One side confirms the letter; when both have, it is confirmed and both move on in the
    queue to "letter of intent"."""
    letter = LetterOfIntent.objects.select_for_update().get(pk=letter.pk)
    consent = consent_record(
        letter,
        letter.CONSENT,
        side=side,
        may_answer_for=_sides(actor, letter, Perm.LETTER_CONFIRM),
        by=acting_person(actor),
        at=timezone.now(),
    )
    before = letter.status
    if consent.outcome == Outcome.AGREED:
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
        reason = system_text(gettext_noop("Letter of intent confirmed by both sides"))
        for municipality in (letter.swedish_partner, letter.partner):
            queue_entry_move(
                municipality=municipality,
                network=letter.network,
                stage=Stage.LETTER_OF_INTENT,
                actor=actor,
                reason=reason,
            )
    return letter
