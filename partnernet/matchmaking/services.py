"""Writes for the queue, interest profiles, match proposals and letters of intent.

Every state change goes through a guarded transition on the model, is recorded in the audit
trail (`audit_record`) and, for the queue, in the history the municipality itself can read.
E-mails to the municipalities' coordinators are sent after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import can_proceed

from partnernet.accounts.models import Role, User
from partnernet.accounts.notify import Message, notify
from partnernet.audit.personal import personal_data_scrubbed
from partnernet.audit.services import audit_record
from partnernet.lib import embeddings
from partnernet.lib.systemtext import render as render_text
from partnernet.lib.systemtext import system_text
from partnernet.municipalities import partners
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Network

from . import topics
from .models import (
    WAITING,
    InterestProfile,
    QueueEntry,
    QueueMove,
    Side,
    Stage,
)

TRANSITIONS = {
    Stage.INTERESTED: "to_interested",
    Stage.MATCHED: "to_matched",
    Stage.LETTER_OF_INTENT: "to_letter_of_intent",
    Stage.INCEPTION_APPLIED: "to_inception_applied",
    Stage.GRANTED: "to_granted",
    Stage.WITHDRAWN: "to_withdrawn",
    Stage.DECLINED: "to_declined",
}


def _label(actor: User | None) -> str:
    """Nothing: a person's name is never stored as display text; the page names the mover from
    `actor` (the system when none) in the reader's language."""
    return ""


def _move(
    entry: QueueEntry, kind: str, *, actor: User | None, reason: str, **change: Any
) -> QueueMove:
    """One line of an entry's history, unsaved. A reorder keeps the stage (from = to)."""
    if kind == QueueMove.Kind.REORDER:
        change |= {"from_stage": entry.stage, "to_stage": entry.stage}
    return QueueMove(
        entry=entry,
        kind=kind,
        actor=acting_person(actor),
        actor_label=_label(actor),
        reason=reason,
        **change,
    )


def _recorded(
    entry: QueueEntry,
    kind: str,
    *,
    actor: User | None,
    reason: str,
    audit: tuple[str, dict, dict],
    **change: Any,
) -> None:
    """A change of an entry, in its own history and in the audit log (action, before, after)."""
    _move(entry, kind, actor=actor, reason=reason, **change).save()
    action, before, after = audit
    audit_record(actor=actor, action=action, obj=entry, before=before, after=after, reason=reason)


def _reason_in(reason: str) -> Callable[[str], str]:
    """A stored reason for an e-mail: a system text in each reader's language."""
    return lambda language: render_text(reason, language)


def acting_person(actor: User | None) -> User | None:
    """The person to record as the actor: None for the system (or an anonymous caller)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def reason_required(reason: str) -> str:
    """The stated reason, stripped; refused when there is none (moves, refusals, declines)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please state a reason."), code="reason_required")
    return reason


def coordinators(municipalities: list[Municipality]) -> list[User]:
    """The active coordinators of the municipalities (the people told about moves)."""
    return list(
        User.objects.filter(
            roles__role=Role.MUNICIPAL_COORDINATOR,
            roles__organisation__municipality__in=municipalities,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def notify_coordinators(municipalities: list[Municipality], message: Message) -> None:
    """E-mail the municipalities' coordinators after the commit, each in their language."""
    notify(coordinators(municipalities), message)


# The queue ---------------------------------------------------------------------------------


def _next_position(network: Network) -> int:
    return (QueueEntry.objects.filter(network=network).aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def queue_entry_join(
    *,
    municipality: Municipality,
    network: Network,
    actor: User | None,
    reason: str,
    at: datetime | None = None,
) -> QueueEntry:
    """Put a municipality in the network's queue at "interested"; returns the existing entry
    if it is already there."""
    entry = QueueEntry.objects.filter(municipality=municipality, network=network).first()
    if entry:
        return entry
    reason = reason_required(reason)
    at = at or timezone.now()
    entry = QueueEntry.objects.create(
        municipality=municipality,
        network=network,
        position=_next_position(network),
        joined_at=at,
        stage_changed_at=at,
    )
    _move(
        entry,
        QueueMove.Kind.JOIN,
        actor=actor,
        reason=reason,
        created_at=at,
        to_stage=entry.stage,
        to_position=entry.position,
    ).save()
    audit_record(
        actor=actor, action="queue_join", obj=entry, after={"stage": entry.stage}, reason=reason
    )
    return entry


@transaction.atomic
def queue_entry_move(
    *,
    municipality: Municipality,
    network: Network,
    stage: str,
    actor: User | None,
    reason: str,
    at: datetime | None = None,
) -> QueueEntry:
    """Move a municipality to `stage` in the network's queue, with a reason, audited.

    A municipality that is not in the queue yet joins it first. Moving to the stage it already
    has changes nothing (so a caller may repeat a call safely). A move the stage rules forbid
    (backwards, or out of granted) raises ValidationError with a translated message.
    """
    if stage not in TRANSITIONS:
        raise ValidationError(_("Unknown stage."), code="unknown_stage")
    reason = reason_required(reason)
    queue_entry_join(municipality=municipality, network=network, actor=actor, reason=reason, at=at)
    entry = QueueEntry.objects.select_for_update().get(municipality=municipality, network=network)
    if entry.stage == stage:
        return entry
    method = getattr(entry, TRANSITIONS[Stage(stage)])
    if not can_proceed(method):
        raise ValidationError(
            _("%(municipality)s cannot move from “%(from)s” to “%(to)s”.")
            % {
                "municipality": municipality,
                "from": entry.get_stage_display(),
                "to": Stage(stage).label,
            },
            code="transition_not_allowed",
        )
    before = entry.stage
    method()
    entry.stage_changed_at = at or timezone.now()
    entry.save(update_fields=["stage", "stage_changed_at"])
    _recorded(
        entry,
        QueueMove.Kind.STAGE,
        actor=actor,
        reason=reason,
        audit=("queue_move", {"stage": before}, {"stage": stage}),
        created_at=entry.stage_changed_at,
        from_stage=before,
        to_stage=stage,
    )
    notify_coordinators(
        [municipality],
        Message(
            subject=gettext_noop("Your place in the queue has changed"),
            body=gettext_noop("%(municipality)s is now at stage “%(stage)s”. Reason: %(reason)s"),
            params={
                "municipality": municipality,
                "stage": Stage(stage).label,
                "reason": _reason_in(reason),
            },
            link=reverse("matchmaking:entry", kwargs={"slug": network.slug, "pk": entry.pk}),
        ),
    )
    return entry


@transaction.atomic
def queue_entry_reorder(
    *, entry: QueueEntry, position: int, actor: User, reason: str
) -> QueueEntry:
    """Give a waiting entry a new place (1 = first) among the waiting entries of its network."""
    reason = reason_required(reason)
    waiting = list(
        QueueEntry.objects.select_for_update()
        .filter(network=entry.network, stage__in=WAITING)
        .order_by("position", "joined_at", "id")
    )
    ids = [e.pk for e in waiting]
    if entry.pk not in ids:
        raise ValidationError(
            _("Only a waiting municipality can be reordered."), code="not_waiting"
        )
    before = ids.index(entry.pk) + 1
    target = min(max(int(position), 1), len(ids))
    ids.remove(entry.pk)
    ids.insert(target - 1, entry.pk)
    for number, pk in enumerate(ids, start=1):
        QueueEntry.objects.filter(pk=pk).update(position=number)
    entry.refresh_from_db()
    # Every other entry whose place changed says why in its own history.
    shifted = system_text(
        gettext_noop("%(municipality)s was given place %(place)s: %(reason)s"),
        municipality=str(entry.municipality),
        place=target,
        reason=reason,
    )
    QueueMove.objects.bulk_create(
        _move(
            other,
            QueueMove.Kind.REORDER,
            actor=actor,
            reason=shifted,
            from_position=old,
            to_position=new,
        )
        for other, old, new in (
            (e, number, ids.index(e.pk) + 1) for number, e in enumerate(waiting, start=1)
        )
        if other.pk != entry.pk and old != new
    )
    _recorded(
        entry,
        QueueMove.Kind.REORDER,
        actor=actor,
        reason=reason,
        audit=("queue_reorder", {"position": before}, {"position": target}),
        from_position=before,
        to_position=target,
    )
    notify_coordinators(
        [entry.municipality],
        Message(
            subject=gettext_noop("Your place in the queue has changed"),
            body=gettext_noop(
                "%(municipality)s moved from place %(before)s to place %(after)s. "
                "Reason: %(reason)s"
            ),
            params={
                "municipality": entry.municipality,
                "before": before,
                "after": target,
                "reason": _reason_in(reason),
            },
            link=reverse("matchmaking:entry", kwargs={"slug": entry.network.slug, "pk": entry.pk}),
        ),
    )
    return entry


# Interest profiles ------------------------------------------------------------------------


def profile_index_text(profile: InterestProfile) -> str:
    """The text that is embedded: the original wording plus the stated priorities."""
    return "\n".join(t for t in (profile.original_text(), profile.priorities) if t.strip())


def profile_refresh_index(profile: InterestProfile) -> bool:
    """Recompute keywords and topics; embed the text only if it changed. True if re-embedded."""
    texts = {lang: getattr(profile, f"text_{lang}", "") or "" for lang in ("sv", "uk", "en")}
    texts[profile.source_language] = profile.original_text()
    keys = topics.profile_keywords(texts, profile.priorities)
    profile.keywords = " ".join(sorted(keys))
    profile.topics = sorted(topics.detect(keys))
    text = profile_index_text(profile)
    if text == profile.embedded_text and profile.embedding:
        return False
    vector = embed_texts([text]).get(text) if text else None
    profile.embedding = embeddings.to_bytes(vector) if vector is not None else None
    profile.embedded_text = text if vector is not None else ""
    return True


@receiver(personal_data_scrubbed, sender=InterestProfile)
def profile_scrubbed(*, instance: InterestProfile, **kwargs: Any) -> None:
    """After an erasure changed a profile's text: recompute the keywords, topics and vector."""
    profile_refresh_index(instance)
    instance.save(update_fields=["keywords", "topics", "embedding", "embedded_text"])


def embed_texts(texts: list[str]) -> dict:
    """Vectors for texts, in one batch (much faster than one by one; the demo set-up primes all
    its profiles at once). `embeddings.embed_passages` keeps each text's vector for the
    process, so a text seen before is not embedded again."""
    unique = sorted({t for t in texts if t})
    vectors = embeddings.embed_passages(unique) if unique else None
    if vectors is None:
        return {}
    return dict(zip(unique, vectors, strict=True))


@transaction.atomic
def profile_save(
    *,
    municipality: Municipality,
    network: Network,
    actor: User | None,
    text: str,
    source_language: str,
    areas: list[CooperationArea],
    priorities: str = "",
    capacity: int = 1,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    translations: dict[str, str] | None = None,
    is_example: bool = False,
    excluded: list[Municipality] | None = None,
) -> InterestProfile:
    """Create or update a municipality's interest profile and put it in the queue.

    The side follows the country (Swedish municipalities offer, the others state needs). Text in
    other languages may be given in `translations`; a changed original makes them out of date.
    """
    profile = InterestProfile.objects.filter(municipality=municipality, network=network).first()
    created = profile is None
    profile = profile or InterestProfile(municipality=municipality, network=network)
    before = None if created else _profile_snapshot(profile)
    original_changed = created or profile.original_text() != text
    profile.side = Side.OFFERS if partners.offers(municipality) else Side.NEEDS
    profile.source_language = source_language
    setattr(profile, f"text_{source_language}", text)
    profile.text = text if source_language == "sv" else (profile.text_sv or text)
    stamp = timezone.now()
    for language, value in (translations or {}).items():
        if language != source_language and value.strip():
            profile.set_text("text", language, value, now=stamp)
    if original_changed:
        profile.source_updated_at = stamp
    profile.priorities, profile.capacity, profile.is_example = priorities, capacity, is_example
    profile.contact_name, profile.contact_email = contact_name, contact_email
    profile.contact_phone, profile.updated_by = contact_phone, acting_person(actor)
    profile_refresh_index(profile)
    profile.save()
    profile.areas.set(areas)
    if excluded is not None:
        profile.excluded.set(excluded)
    audit_record(
        actor=actor,
        action="create" if created else "update",
        obj=profile,
        before=before,
        after=_profile_snapshot(profile),
    )
    queue_entry_join(
        municipality=municipality,
        network=network,
        actor=actor,
        reason=system_text(gettext_noop("Interest profile registered")),
    )
    return profile


def _profile_snapshot(profile: InterestProfile) -> dict:
    # The private contact person is left out of the audit trail on purpose.
    return {
        "text": profile.original_text(),
        "language": profile.source_language,
        "priorities": profile.priorities,
        "capacity": profile.capacity,
    }
