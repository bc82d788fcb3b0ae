"""Reads for partnerships. Every public channel goes through `partnership_public_list`, so
publication control is enforced in one place."""

from django.db.models import Prefetch, QuerySet

from partnernet.accounts.permissions import Perm, authorize, partnership_target

from .models import Goal, Network, Partnership, Tag


def partnership_public_list() -> QuerySet[Partnership]:
    """Published partnerships with everything a list or page shows, in a constant number of
    queries."""
    return (
        Partnership.objects.published()
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


def partnership_public_get(*, slug: str) -> Partnership:
    return partnership_public_list().get(slug=slug)


def network_public_list() -> QuerySet[Network]:
    return Network.objects.all()


def network_public_get(*, slug: str) -> Network:
    return Network.objects.prefetch_related("meetings").get(slug=slug)


def partnership_for_user(*, user, slug: str, perm: Perm = Perm.PUBLICATION_MANAGE) -> Partnership:
    """One partnership, in any publication state, for a person who may do `perm` on it;
    hidden (404) from everyone else (no hint that an unpublished one exists)."""
    partnership = (
        Partnership.objects.select_related("swedish_partner", "partner", "network", "area")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("slug")))
        .filter(slug=slug)
        .first()
    )
    target = partnership_target(partnership) if partnership is not None else None
    authorize(user, target, see=perm, perm=perm)
    return partnership
