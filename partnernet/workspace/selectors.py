"""Reads for a partnership's workspace: the one fetch per resource (`*_for_user`), the start
page's sections, the activity plan, and the public face (done, public activities).

Every read of a page is a fixed number of queries, whatever the number of activities or team
members (pinned in `tests/test_queries.py`, measured in `bench/bench_workspace.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from partnernet.accounts.models import User
from partnernet.accounts.permissions import Perm, authorize, reach
from partnernet.documents.models import Document
from partnernet.grants.models import COMMITTED_STATES, Application, BudgetLine, ResultStatement
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.projection import PublicPartnership, public_text
from partnernet.partnerships.selectors import partnership_workspace_for_user

from .models import Activity, ActivityStatus, TeamMember
from .rules import SIDES, Gap, team_rule_gaps

RECENT = 8  # items in each list of the start page
UPCOMING = 6


# The one fetch -------------------------------------------------------------------------------
def activity_for_user(
    *, user: User, slug: str, pk: int, perm: Perm = Perm.WORKSPACE_VIEW
) -> Activity:
    """One activity of the partnership at `slug` (404 for a missing one or another
    partnership's), for a person who may do `perm` in its workspace."""
    partnership = partnership_workspace_for_user(user=user, slug=slug, perm=perm)
    activity = (
        _activities(partnership)
        .prefetch_related(
            Prefetch("participants", queryset=TeamMember.objects.order_by("side", "name", "id")),
            Prefetch("results", queryset=ResultStatement.objects.order_by("level", "id")),
        )
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        authorize(user, None, see=Perm.WORKSPACE_VIEW)
    assert activity is not None
    activity.partnership = partnership
    return activity


def team_member_for_user(
    *, user: User, slug: str, pk: int, perm: Perm = Perm.TEAM_MANAGE
) -> TeamMember:
    partnership = partnership_workspace_for_user(user=user, slug=slug, perm=perm)
    member = TeamMember.objects.filter(partnership=partnership, pk=pk).first()
    if member is None:
        authorize(user, None, see=Perm.WORKSPACE_VIEW)
    assert member is not None
    member.partnership = partnership
    return member


def sides_managed_by(user: User, partnership: Partnership) -> list[str]:
    """The sides whose team the person may change: both for programme officers, their own
    municipality's side for a coordinator (call after the fetch has checked `TEAM_MANAGE`)."""
    where = reach(user, Perm.TEAM_MANAGE)
    if where.everywhere:
        return list(SIDES)
    sides = []
    if partnership.swedish_partner_id in where.municipalities:
        sides.append("swedish")
    if partnership.partner_id in where.municipalities:
        sides.append("partner")
    return sides


# What the activity plan links to ----------------------------------------------------------------
def granted_application(partnership: Partnership) -> Application | None:
    """The partnership's granted application (the newest committed one), whose results plan
    and budget the activities are linked to."""
    return (
        Application.objects.filter(partnership=partnership, state__in=COMMITTED_STATES)
        .order_by("-pk")
        .first()
    )


def result_statements(application: Application | None) -> QuerySet[ResultStatement]:
    if application is None:
        return ResultStatement.objects.none()
    return ResultStatement.objects.filter(application=application).order_by("level", "id")


def budget_lines(application: Application | None) -> QuerySet[BudgetLine]:
    if application is None:
        return BudgetLine.objects.none()
    return (
        BudgetLine.objects.filter(application=application)
        .select_related("category")
        .order_by("year", "id")
    )


def team(partnership: Partnership) -> QuerySet[TeamMember]:
    return (
        TeamMember.objects.filter(partnership=partnership)
        .select_related("user")
        .order_by("side", "team_role", "name", "id")
    )


# The activity plan ------------------------------------------------------------------------------
def _activities(partnership: Partnership) -> QuerySet[Activity]:
    return Activity.objects.filter(partnership=partnership).select_related("budget_line__category")


@dataclass
class Month:
    """One month of the timeline: its first day and its activities in date order."""

    first: date
    activities: list[Activity] = field(default_factory=list)


@dataclass
class Plan:
    upcoming: list[Activity]  # planned and postponed, not yet over
    overdue: list[Activity]  # planned, over, not marked done or cancelled
    done: list[Activity]
    cancelled: list[Activity]
    months: list[Month]
    total: int


def activity_plan(partnership: Partnership, *, today: date | None = None) -> Plan:
    """Every activity of the partnership, grouped by status and time, and by month for the
    timeline. Two queries (activities with their budget lines, their participants)."""
    today = today or timezone.localdate()
    rows = list(
        _activities(partnership).prefetch_related(
            Prefetch("participants", queryset=TeamMember.objects.order_by("side", "name", "id"))
        )
    )
    plan = Plan(upcoming=[], overdue=[], done=[], cancelled=[], months=[], total=len(rows))
    for activity in rows:
        activity.partnership = partnership
        if activity.status == ActivityStatus.DONE:
            plan.done.append(activity)
        elif activity.status == ActivityStatus.CANCELLED:
            plan.cancelled.append(activity)
        elif activity.status == ActivityStatus.PLANNED and activity.last_day < today:
            plan.overdue.append(activity)
        else:
            plan.upcoming.append(activity)
    plan.done.reverse()  # the latest first
    for first, items in groupby(rows, key=lambda a: a.starts_on.replace(day=1)):
        plan.months.append(Month(first=first, activities=list(items)))
    return plan


# The start page ---------------------------------------------------------------------------------
@dataclass
class SideTeam:
    side: str
    municipality: object
    members: list[TeamMember]
    gaps: list[Gap]


def team_by_side(partnership: Partnership, members: list[TeamMember]) -> list[SideTeam]:
    gaps = team_rule_gaps(((m.side, m.team_role) for m in members), partnership.phase)
    municipalities = {"swedish": partnership.swedish_partner, "partner": partnership.partner}
    return [
        SideTeam(
            side=side,
            municipality=municipalities[side],
            members=[m for m in members if m.side == side],
            gaps=[g for g in gaps if g.side == side],
        )
        for side in SIDES
    ]


@dataclass
class Overview:
    changed: list[Activity]  # activities changed lately (done ones among them)
    joined: list[TeamMember]  # the team's latest members
    documents: list[Document]
    upcoming: list[Activity]
    sides: list[SideTeam]  # with the team rule's gaps
    without_report: list[Activity]
    overdue: list[Activity]

    @property
    def missing_anything(self) -> bool:
        return bool(self.without_report or self.overdue or any(side.gaps for side in self.sides))


def workspace_overview(partnership: Partnership, *, today: date | None = None) -> Overview:
    """The start page: what happened lately, what is next, what is missing. Six queries,
    whatever the number of activities, members or documents."""
    today = today or timezone.localdate()
    activities = Activity.objects.filter(partnership=partnership)
    members = list(team(partnership))
    since = timezone.now() - timedelta(days=60)
    return Overview(
        changed=list(activities.filter(updated_at__gte=since).order_by("-updated_at")[:RECENT]),
        joined=sorted(members, key=lambda m: m.invited_at, reverse=True)[:RECENT],
        documents=list(
            Document.objects.filter(partnership=partnership).order_by("-updated_at", "-id")[:RECENT]
        ),
        upcoming=list(
            activities.filter(
                status__in=[ActivityStatus.PLANNED, ActivityStatus.POSTPONED], starts_on__gte=today
            ).order_by("starts_on", "id")[:UPCOMING]
        ),
        sides=team_by_side(partnership, members),
        without_report=list(
            activities.filter(status=ActivityStatus.DONE, report="").order_by("-starts_on")[:RECENT]
        ),
        overdue=list(
            activities.filter(status=ActivityStatus.PLANNED, starts_on__lt=today)
            .exclude(ends_on__gte=today)
            .order_by("starts_on", "id")[:RECENT]
        ),
    )


# The public face --------------------------------------------------------------------------------
@dataclass(frozen=True)
class PublicActivity:
    """What the public reads of a done activity the team chose to show: its texts go through
    the projection's scrubber (a private partner is never named)."""

    kind: str
    kind_label: str
    title: str
    starts_on: date
    ends_on: date | None
    place: str
    report: str
    report_language: str
    travelling_side: str


def public_activities(public: PublicPartnership) -> list[PublicActivity]:
    """The done activities marked public of a published partnership, newest first, as the
    public may read them. One query."""
    rows = Activity.objects.filter(
        partnership_id=public.pk, status=ActivityStatus.DONE, is_public=True
    ).order_by("-starts_on", "-id")
    found = []
    for activity in rows:
        language = activity.report_language or public.source_language
        found.append(
            PublicActivity(
                kind=activity.kind,
                kind_label=str(activity.get_kind_display()),
                title=public_text(public, activity.title, language),
                starts_on=activity.starts_on,
                ends_on=activity.ends_on,
                place=public_text(public, activity.place, language),
                report=public_text(public, activity.report, language),
                report_language=activity.report_language,
                travelling_side=activity.travelling_side,
            )
        )
    return found


def public_activities_done_count(publics: list[PublicPartnership]) -> int:
    """How many done activities the public may read among these published partnerships (the
    rule of `public_activities`: done and marked public). One query."""
    return Activity.objects.filter(
        partnership_id__in=[p.pk for p in publics], status=ActivityStatus.DONE, is_public=True
    ).count()


def public_activities_done_in(partnership_ids: QuerySet) -> int:
    """`public_activities_done_count` for the partnerships of a subquery of ids (a network's
    published ones): one counting query, no list of ids in memory."""
    return Activity.objects.filter(
        partnership_id__in=partnership_ids, status=ActivityStatus.DONE, is_public=True
    ).count()
