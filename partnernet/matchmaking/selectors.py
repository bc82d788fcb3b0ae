"""Reads for the queue, profiles, proposals and letters, with their object-level fetches.

Who may do what is `accounts.permissions.POLICY`: officers reach every municipality, a
coordinator their own. Each resource has one `*_for_user` fetch raising `AccessRefused`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partnernet.accounts.models import Role, RoleAssignment, User
from partnernet.accounts.permissions import Perm, authorize, may, municipality_target, reach
from partnernet.lib.waiting import Waiting
from partnernet.municipalities.models import Country, Municipality
from partnernet.municipalities.selectors import municipality_search
from partnernet.partnerships.models import Network, PairSide

from .models import (
    WAITING,
    InterestProfile,
    JoinRequest,
    LetterOfIntent,
    MatchProposal,
    QueueEntry,
    QueueMove,
    Stage,
)


def queue_waiting_counts(*, network: Network) -> dict[str, int]:
    """Country code → how many municipalities wait in the network's queue (public figure)."""
    rows = (
        QueueEntry.objects.filter(network=network, stage__in=WAITING)
        .values("municipality__country_id")
        .annotate(n=Count("id"))
        .order_by("municipality__country_id")
    )
    return {row["municipality__country_id"]: row["n"] for row in rows}


def network_get(*, slug: str) -> Network:
    return Network.objects.get(slug=slug)


# The groups of the officer's queue, in the order it lists them: waiting (interested), matched
# (matched, with a letter of intent or an inception application), granted, then the closed.
GROUPS: dict[str, list[str]] = {
    "waiting": [Stage.INTERESTED],
    "matched": [Stage.MATCHED, Stage.LETTER_OF_INTENT, Stage.INCEPTION_APPLIED],
    "granted": [Stage.GRANTED],
    "closed": [Stage.WITHDRAWN, Stage.DECLINED],
}
GROUP_OF = {stage: group for group, stages in GROUPS.items() for stage in stages}


def queue_entries(
    *, network: Network, country: str = "", stage: str = "", area: str = ""
) -> QuerySet[QueueEntry]:
    """The whole queue of a network (officers): the waiting first in their order, then the
    matched, the granted and the closed; optionally only one country, stage or cooperation
    area (of the municipality's interest profile)."""
    order = Case(
        *(When(stage__in=stages, then=Value(n)) for n, stages in enumerate(GROUPS.values())),
        default=Value(len(GROUPS)),
    )
    entries = QueueEntry.objects.filter(network=network)
    if country:
        entries = entries.filter(municipality__country_id=country)
    if stage:
        entries = entries.filter(stage=stage)
    if area:
        entries = entries.filter(
            municipality__interest_profiles__network=network,
            municipality__interest_profiles__areas__slug=area,
        )
    return (
        entries.select_related("municipality__country", "municipality__region")
        .prefetch_related(
            Prefetch(  # a list (not a manager) per municipality: read without a clone
                "municipality__interest_profiles",
                queryset=InterestProfile.objects.filter(network=network),
                to_attr="network_profiles",
            )
        )
        # Closed entries keep their old number, so the number alone would mix them in.
        .alias(band=order)
        .order_by("band", "position", "joined_at", "id")
    )


def queue_counts(*, network: Network) -> list[dict]:
    """Per country (by name): how many municipalities wait, are matched and were granted."""
    counts: dict[str, dict[str, int]] = {}
    rows = (
        QueueEntry.objects.filter(network=network)
        .values("municipality__country_id", "stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        group = GROUP_OF.get(row["stage"], "closed")
        per_country = counts.setdefault(row["municipality__country_id"], dict.fromkeys(GROUPS, 0))
        per_country[group] += row["n"]
    names = {c.code: c for c in Country.objects.filter(code__in=counts)}
    return sorted(
        ({"country": names.get(code) or code, "code": code, **n} for code, n in counts.items()),
        key=lambda row: (row["code"] != "SE", str(row["country"])),
    )


def queue_positions(*, network: Network) -> dict[int, int]:
    """Entry id → place among the municipalities of the same country still waiting for a
    partner (stage interested; 1 = next). A matched municipality has found its partner, so it
    holds no place; the places of those behind it move up."""
    positions: dict[int, int] = {}
    counters: dict[str, int] = {}
    waiting = (
        QueueEntry.objects.filter(network=network, stage=Stage.INTERESTED)
        .order_by("position", "joined_at", "id")
        .values_list("id", "municipality__country_id")
    )
    for entry_id, country in waiting:
        counters[country] = counters.get(country, 0) + 1
        positions[entry_id] = counters[country]
    return positions


def queue_entries_for_user(*, user: User, network: Network) -> list[QueueEntry]:
    """The entries of the municipalities a coordinator acts for."""
    ids = reach(user, Perm.QUEUE_VIEW).municipalities
    return list(queue_entries(network=network).filter(municipality_id__in=ids))


def queue_entry_for_user(
    *, user: User, network: Network, pk: int, perm: Perm = Perm.QUEUE_VIEW
) -> QueueEntry:
    """One entry with its history, for an officer or the municipality concerned."""
    entry = queue_entries(network=network).filter(pk=pk).first()
    target = municipality_target(entry.municipality_id) if entry is not None else None
    authorize(user, target, see=Perm.QUEUE_VIEW, perm=perm)
    assert entry is not None  # authorize refused a missing one
    return entry


def queue_moves(*, entry: QueueEntry) -> QuerySet[QueueMove]:
    return entry.moves.select_related("actor").order_by("created_at", "id")


def profile_for_user(
    *, user: User, network: Network, municipality: Municipality, perm: Perm = Perm.PROFILE_EDIT
) -> InterestProfile | None:
    """A municipality's profile (None before the first save), private contact included:
    officers and the municipality's coordinators only."""
    authorize(user, municipality_target(municipality.pk), see=Perm.PROFILE_EDIT, perm=perm)
    return (
        InterestProfile.objects.filter(network=network, municipality=municipality)
        .prefetch_related("areas")
        .first()
    )


def proposals_for_user(*, user: User, network: Network) -> QuerySet[MatchProposal]:
    proposals = MatchProposal.objects.filter(network=network).select_related(
        "swedish_partner", "partner"
    )
    where = reach(user, Perm.MATCH_RESPOND)
    if where.everywhere:
        return proposals
    ids = where.municipalities
    return proposals.filter(Q(swedish_partner_id__in=ids) | Q(partner_id__in=ids))


def proposal_for_user(*, user: User, pk: int, perm: Perm = Perm.MATCH_RESPOND) -> MatchProposal:
    proposal = (
        MatchProposal.objects.select_related("swedish_partner", "partner", "network")
        .filter(pk=pk)
        .first()
    )
    target = (
        municipality_target(proposal.swedish_partner_id, proposal.partner_id) if proposal else None
    )
    authorize(user, target, see=Perm.MATCH_RESPOND, perm=perm)
    assert proposal is not None  # authorize refused a missing one
    return proposal


def letter_for_user(*, user: User, pk: int, perm: Perm = Perm.LETTER_CONFIRM) -> LetterOfIntent:
    letter = (
        LetterOfIntent.objects.select_related("swedish_partner", "partner", "network")
        .filter(pk=pk)
        .first()
    )
    target = municipality_target(letter.swedish_partner_id, letter.partner_id) if letter else None
    authorize(user, target, see=Perm.LETTER_CONFIRM, perm=perm)
    assert letter is not None  # authorize refused a missing one
    return letter


def sides_for_user(
    user: User, *, swedish: Municipality, partner: Municipality, perm: Perm
) -> list[str]:
    """Which sides of a pair the user may answer for with `perm` (an officer: either)."""
    return [
        side
        for side, m in ((PairSide.SWEDISH, swedish), (PairSide.PARTNER, partner))
        if may(user, perm, municipality_target(m.pk))
    ]


# Joining by oneself (`joining.py`) ------------------------------------------------------------


def join_refusal(*, municipality: Municipality, network: Network) -> str:
    """Why `municipality` may not ask to join `network` now ("" when it may): it is in the
    queue already, or it has a coordinator already. Another request awaiting verification is
    no refusal: saying so would make an unverified request public (the officer sees both)."""
    names = {"municipality": municipality, "network": network}
    if QueueEntry.objects.filter(municipality=municipality, network=network).exists():
        return _("%(municipality)s is already in the queue of the network %(network)s.") % names
    if RoleAssignment.objects.filter(
        role=Role.MUNICIPAL_COORDINATOR,
        organisation__municipality=municipality,
        user__is_active=True,
    ).exists():
        return (
            _(
                "%(municipality)s already has a coordinator in Partnernet. Ask them to invite "
                "you, or write to the programme officer."
            )
            % names
        )
    return ""


def join_candidates(*, query: str, limit: int = 10) -> list[Municipality]:
    """Municipalities (of any kind and country) matching `query` in any spelling, for the
    join form's picker: the registry's own search."""
    return list(municipality_search(query=query, limit=limit)) if query.strip() else []


def key_digest(key: str) -> str:
    """What is stored of a one-time confirmation key (the key itself is only in the e-mail)."""
    return hashlib.sha256(key.encode()).hexdigest()


def join_request_by_key(*, key: str, at: datetime | None = None) -> JoinRequest | None:
    """The unconfirmed, unexpired request whose one-time link is `key` (None otherwise)."""
    at = at or timezone.now()
    if not key or len(key) > 100:
        return None
    return (
        JoinRequest.objects.select_related("municipality", "network", "user")
        .filter(
            key_digest=key_digest(key), status=JoinRequest.Status.UNCONFIRMED, expires_at__gt=at
        )
        .first()
    )


def join_requests_awaiting(*, network: Network) -> list[JoinRequest]:
    """Confirmed requests an officer has to verify or decline, oldest first."""
    return list(
        JoinRequest.objects.filter(network=network, status=JoinRequest.Status.AWAITING)
        .select_related("municipality__country", "user")
        .order_by("confirmed_at", "id")
    )


def join_requests_alike(*, join_request: JoinRequest) -> list[JoinRequest]:
    """The other undecided requests for the same municipality and network (for the officer)."""
    return list(
        JoinRequest.objects.filter(
            municipality_id=join_request.municipality_id,
            network_id=join_request.network_id,
            status=JoinRequest.Status.AWAITING,
        )
        .exclude(pk=join_request.pk)
        .select_related("user")
        .order_by("confirmed_at", "id")
    )


def join_request_for_user(
    *, user: User, network: Network, pk: int, perm: Perm = Perm.QUEUE_MANAGE
) -> JoinRequest:
    """One request to join, for the officers who keep the queue (hidden from everyone else,
    as long as it is not verified it is nobody's business)."""
    join_request = (
        JoinRequest.objects.select_related("municipality__country", "municipality__region", "user")
        .prefetch_related("areas")
        .filter(network=network, pk=pk)
        .first()
    )
    target = municipality_target(join_request.municipality_id) if join_request else None
    authorize(user, target, see=perm, perm=perm)
    assert join_request is not None  # authorize refused a missing one
    return join_request


# The start page (`/{lang}/me/`) ---------------------------------------------------------------
def _own_municipalities(user: User, perm: Perm) -> frozenset[int]:
    """The municipalities the person answers for themselves (an officer who may record an
    answer for anyone is not asked to: nothing waits for them here)."""
    return reach(user, perm).municipalities


def _open_side(obj: MatchProposal | LetterOfIntent, ids: frozenset[int], answered: str) -> bool:
    """Whether a side of `obj` the person answers for has not answered yet."""
    return (obj.swedish_partner_id in ids and not getattr(obj, f"swedish_{answered}")) or (
        obj.partner_id in ids and not getattr(obj, f"partner_{answered}")
    )


# What waits for a side of a pair: (model, its open status, the permission to answer, what the
# start page says, the page, the field the side's answer fills).
_PAIR_STEPS = (
    (
        MatchProposal,
        MatchProposal.Status.PROPOSED,
        Perm.MATCH_RESPOND,
        gettext_noop("Answer the proposed match %(a)s – %(b)s"),
        "matchmaking:proposal",
        "responded_at",
        "proposal",
    ),
    (
        LetterOfIntent,
        LetterOfIntent.Status.DRAFT,
        Perm.LETTER_CONFIRM,
        gettext_noop("Confirm the letter of intent %(a)s – %(b)s"),
        "matchmaking:letter",
        "confirmed_at",
        "letter",
    ),
)


def waiting_for(*, user: User) -> list[Waiting]:
    """Proposals the person's municipality has not answered and letters of intent it has not
    confirmed: two queries, whatever the size of the queue."""
    items: list[Waiting] = []
    for model, status, perm, what, route, answered, kind in _PAIR_STEPS:
        ids = _own_municipalities(user, perm)
        if not ids:
            continue
        rows = model.objects.filter(
            Q(swedish_partner_id__in=ids) | Q(partner_id__in=ids), status=status
        ).select_related("swedish_partner", "partner")
        items += [
            Waiting(
                what=what,
                params={"a": row.swedish_partner, "b": row.partner},
                url=reverse(route, kwargs={"pk": row.pk}),
                since=row.created_at,
                kind=kind,
            )
            for row in rows.order_by("created_at", "pk")
            if _open_side(row, ids, answered)
        ]
    return items


@dataclass(frozen=True)
class QueuePlace:
    entry: QueueEntry
    place: int | None  # among the waiting municipalities of its country; None when not waiting
    url: str


def queue_places_for(*, user: User, network: Network) -> list[QueuePlace]:
    """The queue entries of the person's own municipalities with their places: three queries
    (the entries, their profiles, the order of the waiting), whatever the size of the queue."""
    ids = reach(user, Perm.QUEUE_VIEW).municipalities
    if not ids:
        return []
    entries = list(
        queue_entries(network=network).filter(municipality_id__in=ids).prefetch_related(None)
    )
    if not entries:
        return []
    places = queue_positions(network=network)
    return [
        QueuePlace(
            entry=entry,
            place=places.get(entry.pk),
            url=reverse("matchmaking:entry", kwargs={"slug": network.slug, "pk": entry.pk}),
        )
        for entry in entries
    ]
