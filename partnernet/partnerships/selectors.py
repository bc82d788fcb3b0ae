"""Reads for partnerships. Every public channel goes through `partnership_public_list` (which
rows are public: the published ones) and reads each row through `projection.public_partnership`
(what of a row is public), so publication and field privacy are each enforced in one place."""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from partnernet.accounts.models import Role, RoleAssignment, User
from partnernet.accounts.permissions import Perm, authorize, may, partnership_target, reach
from partnernet.lib.singleflight import PerVersion
from partnernet.municipalities.models import Municipality

from .models import CooperationArea, Goal, Network, Partnership, Tag
from .projection import (
    PublicFacts,
    PublicPartnership,
    blanked_by,
    private_address_pk,
    public_facts,
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


@dataclass
class _Vocabulary:
    """What the rows of a page point to, kept per process for one `generation`: the small
    vocabularies and the municipalities (with region and country) whole, so every page costs
    the same queries (a municipality added under the same generation is read when a page
    first needs it)."""

    generation: Hashable
    areas: dict[int, CooperationArea]
    networks: dict[int, Network]
    goals: dict[int, Goal]
    tags: dict[int, Tag]
    municipalities: dict[int, Municipality] = field(default_factory=dict)


_vocabularies: PerVersion[_Vocabulary] = PerVersion(attrgetter("generation"))


def _vocabulary(generation: Hashable) -> _Vocabulary:
    """One read per generation, however many threads ask."""
    return _vocabularies.get(
        generation,
        lambda previous: _Vocabulary(
            generation,
            areas=CooperationArea.objects.in_bulk(),
            networks=Network.objects.in_bulk(),
            goals=Goal.objects.in_bulk(),
            tags=Tag.objects.in_bulk(),
            municipalities=Municipality.objects.select_related("region", "country").in_bulk(),
        ),
    )


def partnership_public_page(
    pks: Iterable[int], *, generation: Hashable, goals_and_tags: bool = True
) -> dict[int, Partnership]:
    """The published partnerships of `pks` by id, loaded as `partnership_public_list` loads
    them (the same relations; goals by number, tags by slug), in three queries: the rows and
    their goal and tag links.

    What the rows point to comes from a per-process copy of the vocabularies and
    municipalities, kept while `generation` stays the same: the caller passes a value that
    changes with every write to them (the catalogue's facet index is rebuilt on each such
    write and names its build). A list page then makes one model instance per partnership
    instead of a dozen (municipalities, regions, countries, area, network, goals, tags).

    `goals_and_tags=False`: one query, for lists whose cards show neither (the catalogue's);
    the rows then read them as any row does, with a query of their own."""
    wanted = [int(pk) for pk in pks]
    if not wanted:
        return {}
    vocabulary = _vocabulary(generation)
    published: QuerySet[Partnership] = Partnership.objects.published()
    rows = published.in_bulk(wanted)
    municipalities = vocabulary.municipalities
    needed = {p.swedish_partner_id for p in rows.values()} | {p.partner_id for p in rows.values()}
    missing = needed - municipalities.keys()
    if missing:
        municipalities.update(
            Municipality.objects.select_related("region", "country").in_bulk(missing)
        )
    for row in rows.values():
        cache = row._state.fields_cache
        cache["swedish_partner"] = municipalities[row.swedish_partner_id]
        cache["partner"] = municipalities[row.partner_id]
        cache["area"] = vocabulary.areas[row.area_id]
        cache["network"] = vocabulary.networks[row.network_id]
    if not goals_and_tags:
        return rows
    goal_links: Any = Partnership.goals.through
    tag_links: Any = Partnership.tags.through
    goals: dict[int, list[Goal]] = {pk: [] for pk in rows}
    for pk, goal in goal_links.objects.filter(partnership_id__in=list(rows)).values_list(
        "partnership_id", "goal_id"
    ):
        goals[pk].append(vocabulary.goals[goal])
    tags: dict[int, list[Tag]] = {pk: [] for pk in rows}
    for pk, tag in tag_links.objects.filter(partnership_id__in=list(rows)).values_list(
        "partnership_id", "tag_id"
    ):
        tags[pk].append(vocabulary.tags[tag])
    _prefetched(
        rows, "goals", {pk: sorted(g, key=lambda goal: goal.number) for pk, g in goals.items()}
    )
    _prefetched(rows, "tags", {pk: sorted(t, key=lambda tag: tag.slug) for pk, t in tags.items()})
    return rows


def _prefetched(rows: dict[int, Partnership], relation: str, items: dict[int, list]) -> None:
    """Set `items[pk]` as the prefetched result of `row.<relation>` of each row, as Django's
    own prefetch does (a queryset with its results in place, filtered to the row), so `.all()`
    reads no row and a further `.filter()` asks for the row's own items only.

    Each row's queryset is a copy of one unfiltered queryset with the row's filter deferred
    (`_deferred_filter`, as the related manager leaves it until the query is needed): making a
    related manager per row and relation cost 3-4 ms of a 20-row page, this 0.4 ms."""
    descriptor: Any = getattr(Partnership, relation)
    lookup = descriptor.field.related_query_name()
    unfiltered = descriptor.field.related_model._default_manager.all()
    for pk, row in rows.items():
        queryset = unfiltered._chain()
        queryset._result_cache = items[pk]
        queryset._prefetch_done = True
        queryset._deferred_filter = (False, (), {lookup: pk})
        row.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset


def partnership_public_facts(*, pks: Iterable[int] | None = None) -> list[PublicFacts]:
    """The public facts (`projection.PublicFacts`) of the published partnerships (of `pks`
    only, when given), ordered by id, in six queries whatever their number: plain columns and
    the small vocabularies, no model instance per partnership."""
    rows = Partnership.objects.published().order_by("pk")
    # django-stubs types an automatic through model as Never: it is a plain model here.
    goal_links: Any = Partnership.goals.through
    tag_links: Any = Partnership.tags.through
    links_goals = goal_links.objects.all()
    links_tags = tag_links.objects.all()
    if pks is not None:
        wanted = list(pks)
        rows = rows.filter(pk__in=wanted)
        links_goals = links_goals.filter(partnership_id__in=wanted)
        links_tags = links_tags.filter(partnership_id__in=wanted)
    values = list(
        rows.values_list(
            "pk",
            "slug",
            "private_fields",
            "swedish_partner_id",
            "partner_id",
            "area_id",
            "network_id",
            "phase",
            "status",
            "start_date",
        )
    )
    municipalities = Municipality.objects.select_related("region", "country").in_bulk(
        {v[3] for v in values} | {v[4] for v in values}
    )
    areas, networks = CooperationArea.objects.in_bulk(), Network.objects.in_bulk()
    goal_of, tag_of = Goal.objects.in_bulk(), Tag.objects.in_bulk()
    goals: dict[int, list[Goal]] = {}
    for pk, goal in links_goals.values_list("partnership_id", "goal_id"):
        goals.setdefault(pk, []).append(goal_of[goal])
    tags: dict[int, list[Tag]] = {}
    for pk, tag in links_tags.values_list("partnership_id", "tag_id"):
        tags.setdefault(pk, []).append(tag_of[tag])
    return [
        public_facts(
            pk=pk,
            slug=slug,
            private_fields=private,
            swedish_partner=municipalities[swedish],
            partner=municipalities[partner],
            area=areas[area],
            network=networks[network],
            phase=phase,
            status=status,
            start_date=start,
            goals=tuple(sorted(goals.get(pk, ()), key=lambda g: g.number)),
            tags=tuple(sorted(tags.get(pk, ()), key=lambda t: t.slug)),
        )
        for pk, slug, private, swedish, partner, area, network, phase, status, start in values
    ]


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
