"""Reads for the queue, profiles, proposals and letters, with their permission checks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet

from partnernet.accounts.models import Role
from partnernet.accounts.permissions import user_has_role
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Network

from .models import WAITING, InterestProfile, LetterOfIntent, MatchProposal, QueueEntry, QueueMove


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


def is_officer(user) -> bool:
    return user_has_role(user, Role.PROGRAMME_OFFICER)


def can_act_for(user, municipality: Municipality) -> bool:
    """Officers act for every municipality; a coordinator for their own municipality."""
    if is_officer(user):
        return True
    organisation = getattr(municipality, "organisation", None)
    return organisation is not None and user_has_role(
        user, Role.MUNICIPAL_COORDINATOR, organisation=organisation
    )


def queue_entries(*, network: Network) -> QuerySet[QueueEntry]:
    """The whole queue of a network (officers): waiting first in their order, then the closed."""
    return (
        QueueEntry.objects.filter(network=network)
        .select_related("municipality__country", "municipality__region")
        .prefetch_related(
            Prefetch(
                "municipality__interest_profiles",
                queryset=InterestProfile.objects.filter(network=network),
            )
        )
        .order_by("position", "joined_at", "id")
    )


def queue_positions(*, network: Network) -> dict[int, int]:
    """Entry id → place among the waiting municipalities of the same country (1 = next)."""
    positions: dict[int, int] = {}
    counters: dict[str, int] = {}
    waiting = (
        QueueEntry.objects.filter(network=network, stage__in=WAITING)
        .order_by("position", "joined_at", "id")
        .values_list("id", "municipality__country_id")
    )
    for entry_id, country in waiting:
        counters[country] = counters.get(country, 0) + 1
        positions[entry_id] = counters[country]
    return positions


def queue_entries_for_user(*, user, network: Network) -> list[QueueEntry]:
    """The entries of the municipalities a coordinator acts for."""
    entries = queue_entries(network=network).filter(
        municipality__organisation__roles__user=user,
        municipality__organisation__roles__role=Role.MUNICIPAL_COORDINATOR,
    )
    return list(entries.distinct())


def queue_entry_get(*, user, network: Network, entry_id: int) -> QueueEntry:
    """One entry with its history, for an officer or the municipality concerned."""
    entry = queue_entries(network=network).get(pk=entry_id)
    if not can_act_for(user, entry.municipality):
        raise PermissionDenied
    return entry


def queue_moves(*, entry: QueueEntry) -> QuerySet[QueueMove]:
    return entry.moves.select_related("actor").order_by("created_at", "id")


def profile_get(*, user, network: Network, municipality: Municipality) -> InterestProfile | None:
    """A municipality's profile, private contact included: officers and its coordinators only."""
    if not can_act_for(user, municipality):
        raise PermissionDenied
    return (
        InterestProfile.objects.filter(network=network, municipality=municipality)
        .prefetch_related("areas")
        .first()
    )


def proposals_for_user(*, user, network: Network) -> QuerySet[MatchProposal]:
    proposals = MatchProposal.objects.filter(network=network).select_related("swedish", "partner")
    if is_officer(user):
        return proposals
    mine = Municipality.objects.filter(
        organisation__roles__user=user, organisation__roles__role=Role.MUNICIPAL_COORDINATOR
    )
    return proposals.filter(swedish__in=mine) | proposals.filter(partner__in=mine)


def proposal_get(*, user, proposal_id: int) -> MatchProposal:
    proposal = MatchProposal.objects.select_related("swedish", "partner", "network").get(
        pk=proposal_id
    )
    if not (can_act_for(user, proposal.swedish) or can_act_for(user, proposal.partner)):
        raise PermissionDenied
    return proposal


def letter_get(*, user, letter_id: int) -> LetterOfIntent:
    letter = LetterOfIntent.objects.select_related(
        "swedish_municipality", "partner_municipality", "network"
    ).get(pk=letter_id)
    if not (
        can_act_for(user, letter.swedish_municipality)
        or can_act_for(user, letter.partner_municipality)
    ):
        raise PermissionDenied
    return letter


def sides_for_user(user, *, swedish: Municipality, partner: Municipality) -> list[str]:
    """Which sides of a pair the user may answer for (an officer may record either answer)."""
    return [
        side for side, m in (("swedish", swedish), ("partner", partner)) if can_act_for(user, m)
    ]
