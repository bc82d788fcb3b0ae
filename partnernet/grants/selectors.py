"""Reads for calls, applications, reviews and results, with the object-level permission rules.

Coordinators see the applications of their own municipality (either side); reviewers see the
applications they are assigned to; programme officers see everything.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from partnernet.accounts.models import Role
from partnernet.accounts.permissions import user_has_role
from partnernet.municipalities.models import Municipality

from .models import (
    RUBRIC,
    Application,
    BudgetLine,
    Call,
    Indicator,
    Review,
    Side,
    State,
)


def is_officer(user) -> bool:
    return user_has_role(user, Role.PROGRAMME_OFFICER)


def coordinator_municipality_ids(user) -> list[int]:
    """The municipalities whose applications this person co-writes."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        user.roles.filter(
            role=Role.MUNICIPAL_COORDINATOR, organisation__municipality__isnull=False
        ).values_list("organisation__municipality_id", flat=True)
    )


def coordinator_side(user, application: Application) -> str | None:
    """Which side of the application this coordinator writes for, if any."""
    ids = coordinator_municipality_ids(user)
    if application.swedish_partner_id in ids:
        return Side.SWEDISH
    if application.partner_id in ids:
        return Side.PARTNER
    return None


def _base() -> QuerySet[Application]:
    return Application.objects.select_related(
        "call__network", "swedish_partner", "partner", "area", "partnership"
    )


def application_list_for_user(*, user) -> QuerySet[Application]:
    if is_officer(user):
        return _base()
    ids = coordinator_municipality_ids(user)
    visible = Q(swedish_partner_id__in=ids) | Q(partner_id__in=ids) | Q(reviews__reviewer=user)
    return _base().filter(visible).distinct()


def application_get_for_user(*, user, pk: int) -> Application:
    """The application if this person may see it; 404 otherwise (no hint that it exists)."""
    application = (
        application_list_for_user(user=user)
        .prefetch_related(
            "sections",
            "team",
            Prefetch("budget_lines", queryset=BudgetLine.objects.select_related("category")),
            "results__indicators__actuals",
            "agreement__deadlines",
        )
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def application_get_for_writer(*, user, pk: int) -> tuple[Application, str]:
    """The application and the side this coordinator writes for; PermissionDenied otherwise."""
    application = application_get_for_user(user=user, pk=pk)
    side = coordinator_side(user, application)
    if side is None:
        raise PermissionDenied
    return application, side


def review_for_reviewer(*, user, application: Application) -> Review | None:
    return application.reviews.filter(reviewer=user).first()


def reviews_visible_to(*, user, application: Application) -> list[Review]:
    """Officers see every submitted review; a reviewer sees others' reviews only after
    submitting their own; coordinators see none."""
    submitted = list(
        application.reviews.filter(submitted_at__isnull=False).select_related("reviewer")
    )
    if is_officer(user):
        return submitted
    own = application.reviews.filter(reviewer=user, submitted_at__isnull=False).exists()
    return submitted if own else []


def call_list() -> QuerySet[Call]:
    return Call.objects.select_related("network").order_by("-created_at")


def calls_open_for_application() -> QuerySet[Call]:
    from django.utils import timezone

    now = timezone.now()
    return (
        call_list()
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gte=now))
    )


@dataclass
class ScoreRow:
    application: Application
    reviews: list[Review]
    averages: dict[str, float | None] = field(default_factory=dict)
    total: float | None = None


def call_score_table(*, call: Call) -> list[ScoreRow]:
    """Each application of the call with its submitted reviews side by side and the average
    per criterion (conflicts of interest excluded), in two queries."""
    reviews = Prefetch(
        "reviews",
        queryset=Review.objects.filter(submitted_at__isnull=False).select_related("reviewer"),
        to_attr="submitted_reviews",
    )
    applications = (
        _base()
        .filter(call=call)
        .exclude(state=State.DRAFT)
        .prefetch_related(reviews, "budget_lines")
    )
    rows = []
    for application in applications.order_by("swedish_partner__name", "id"):
        scored = [r for r in application.submitted_reviews if not r.conflict_of_interest]
        averages = {key: _mean([r.scores.get(key) for r in scored]) for key, _l in RUBRIC}
        total = _mean([r.total() for r in scored])
        rows.append(ScoreRow(application, application.submitted_reviews, averages, total))
    return rows


def _mean(values: list) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 2) if present else None


def municipality_by_code(code: str) -> Municipality | None:
    return Municipality.objects.filter(code=code.strip()).first()


@dataclass(frozen=True)
class Actual:
    period: str
    value: Decimal


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator of a partnership's results plan, for IATI `result` elements."""

    level: str  # objective, outcome or output
    result: str
    indicator: str
    unit: str
    baseline: Decimal
    baseline_year: int | None
    target: Decimal
    target_year: int | None
    actuals: list[Actual]


def partnership_results(*, partnership_ids: list[int]) -> dict[int, list[IndicatorResult]]:
    """Indicators (baseline, target, actuals per period) of the granted applications of each
    partnership, in three queries whatever the number of partnerships."""
    indicators = (
        Indicator.objects.filter(
            result__application__partnership_id__in=partnership_ids,
            result__application__state__in=[
                State.GRANTED,
                State.AGREEMENT_SIGNED,
                State.ACTIVE,
                State.CLOSED,
            ],
        )
        .select_related("result__application")
        .prefetch_related("actuals")
        .order_by("result__application_id", "result_id", "id")
    )
    results: dict[int, list[IndicatorResult]] = {pk: [] for pk in partnership_ids}
    for item in indicators:
        results[item.result.application.partnership_id].append(
            IndicatorResult(
                level=item.result.level,
                result=item.result.text,
                indicator=item.name,
                unit=item.unit,
                baseline=item.baseline,
                baseline_year=item.baseline_year,
                target=item.target,
                target_year=item.target_year,
                actuals=[Actual(a.period, a.value) for a in item.actuals.all()],
            )
        )
    return results
