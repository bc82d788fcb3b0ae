"""Reads for partnerships. Every public channel goes through `partnership_public_list` (which
rows are public: the published ones) and reads each row through `projection.public_partnership`
(what of a row is public), so publication and field privacy are each enforced in one place."""

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from .models import Goal, Network, Partnership, Tag
from .projection import (
    PublicPartnership,
    private_address_pk,
    public_partnership,
    public_partnerships,
)


def partnership_public_list() -> QuerySet[Partnership]:
    """Published partnerships with everything a list or page shows, in a constant number of
    queries."""
    return (
        Partnership.objects.filter(is_published=True)
        .select_related(
            "swedish_partner__region",
            "partner__region",
            "partner__country",
            "swedish_partner__country",
            "network",
            "area",
        )
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("number")),
            Prefetch("tags", queryset=Tag.objects.order_by("slug")),
        )
    )


def partnership_public_get(*, slug: str) -> PublicPartnership:
    """The public projection of the published partnership at the public address `slug`.

    A partnership whose partner is private answers only at its partner-free address; its
    stored slug (which names the partner) is then unknown: `Partnership.DoesNotExist`."""
    pk = private_address_pk(slug)
    match = Q(slug=slug) if pk is None else Q(slug=slug) | Q(pk=pk)
    candidates = partnership_public_list().filter(match)
    for candidate in candidates:
        public = public_partnership(candidate)
        if public.slug == slug:
            return public
    raise Partnership.DoesNotExist(slug)


def partnerships_public(rows: Iterable[Partnership] | None = None) -> list[PublicPartnership]:
    """The public projections of `rows` (default: every published partnership), in order."""
    return public_partnerships(partnership_public_list() if rows is None else rows)


def network_public_list() -> QuerySet[Network]:
    return Network.objects.all()


def network_public_get(*, slug: str) -> Network:
    return Network.objects.prefetch_related("meetings").get(slug=slug)
