"""Reads for partnerships. Every public channel goes through `partnership_public_list` (which
rows are public: the published ones) and reads each row through `projection.public_partnership`
(what of a row is public), so publication and field privacy are each enforced in one place."""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from partnernet.accounts.models import Role, RoleAssignment, User
from partnernet.accounts.permissions import Perm, authorize, may, partnership_target, reach

from .models import Goal, Network, Partnership, Tag
from .projection import (
    PublicPartnership,
    blanked_by,
    private_address_pk,
    public_partnership,
    public_partnerships,
)


def partnership_public_list() -> QuerySet[Partnership]:
    """Published partnerships with everything a list or page shows, in a constant number of
    queries."""
    # modeltranslation builds the manager at run time, so its `published` is untyped: say what
    # it returns.
    published: QuerySet[Partnership] = Partnership.objects.published()
    return published.select_related(
        "swedish_partner__region",
        "partner__region",
        "partner__country",
        "swedish_partner__country",
        "network",
        "area",
    ).prefetch_related(
        Prefetch("goals", queryset=Goal.objects.order_by("number")),
        Prefetch("tags", queryset=Tag.objects.order_by("slug")),
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
    return Network.objects.get(slug=slug)


def partnership_workspace_for_user(
    *, user: User, slug: str, perm: Perm = Perm.WORKSPACE_VIEW, see: Perm = Perm.WORKSPACE_VIEW
) -> Partnership:
    """The partnership at `slug`, in any publication state, for its workspace: the team on
    both sides and programme officers see it (`WORKSPACE_VIEW`); everyone else gets 404, as if
    it did not exist. 403 for a person who sees it but may not do `perm` (`WORKSPACE_WRITE`
    to plan activities, upload and write, `TEAM_MANAGE` to change the team). The one rule:
    the workspace, its documents, its conversation and its calendar all fetch through it.
    Its reports and results plan are seen with `REPORT_VIEW` instead (`see`): finance officers
    read them without the rest of the workspace."""
    partnership = (
        Partnership.objects.select_related(
            "swedish_partner__country", "partner__country", "network"
        )
        .filter(slug=slug)
        .first()
    )
    target = partnership_target(partnership) if partnership is not None else None
    authorize(user, target, see=see, perm=perm)
    assert partnership is not None  # authorize refused a missing one
    return partnership


def coordinators_of(partnership: Partnership, side: str) -> list[User]:
    """The active municipal coordinators of one side (for this partnership, or for all of
    their municipality's): whom the workspace and the report schedule tell."""
    municipality_id = (
        partnership.swedish_partner_id if side == "swedish" else partnership.partner_id
    )
    user_ids = RoleAssignment.objects.filter(
        Q(partnership=partnership) | Q(partnership__isnull=True),
        role=Role.MUNICIPAL_COORDINATOR,
        organisation__municipality_id=municipality_id,
    )
    return list(User.objects.filter(pk__in=user_ids.values("user_id"), is_active=True))


def partnership_for_user(
    *, user: User, slug: str, perm: Perm = Perm.PUBLICATION_MANAGE
) -> Partnership:
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
    assert partnership is not None  # authorize refused a missing one
    return partnership


def can_see_field(user: User | AnonymousUser, partnership: Partnership, field: str) -> bool:
    """Whether `user` may see `field` of `partnership` (private fields are hidden from the
    public and from people of other partnerships). Here, not in accounts.permissions: what a
    private field blanks is the projection's rule, and partnerships sits above accounts."""
    if field not in blanked_by(partnership.private_fields):
        return True
    return may(user, Perm.PRIVATE_FIELDS_VIEW, partnership_target(partnership))


def partnerships_of(*, user: User) -> list[tuple[Partnership, str]]:
    """The partnerships the person works in (their municipality's, or the one their role is
    for), each with the address of its public page ("" while it is not published): for the
    start page. Staff, who reach every partnership, are not listed every one. Three queries."""
    where = reach(user, Perm.PRIVATE_FIELDS_VIEW)
    if where.everywhere or not (where.partnerships or where.whole_municipalities):
        return []
    rows = (
        Partnership.objects.filter(
            Q(id__in=where.partnerships)
            | Q(swedish_partner_id__in=where.whole_municipalities)
            | Q(partner_id__in=where.whole_municipalities)
        )
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
        .order_by("slug")
    )
    return [(p, _public_url(p)) for p in rows]


def _public_url(partnership: Partnership) -> str:
    if not partnership.is_published:
        return ""
    slug = public_partnership(partnership).slug
    return reverse("catalogue:partnership", kwargs={"slug": slug})
