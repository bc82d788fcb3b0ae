"""Reads for calls, applications, reviews and results, with the object-level fetches.

Who may do what is `accounts.permissions.POLICY`: coordinators reach the applications of their
own municipality (either side), reviewers the applications they are assigned to, programme
officers every application. `application_for_user` and `call_for_user` are the one fetch of
each resource; they raise `AccessRefused` (404 hidden, 403 refused).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partnernet.accounts.models import User
from partnernet.accounts.permissions import (
    NOBODYS,
    AccessRefused,
    Perm,
    Target,
    authorize,
    can_see_other_reviews,
    holds,
    municipality_target,
    reach,
)
from partnernet.audit.models import AuditEntry
from partnernet.lib.money import format_money
from partnernet.lib.waiting import Waiting
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.consent import read_consent
from partnernet.partnerships.models import CooperationArea

from . import drafts, rules
from .models import (
    COMMITTED_STATES,
    EDITABLE_STATES,
    RUBRIC,
    Agreement,
    Application,
    ApplicationSection,
    BudgetLine,
    Call,
    CallState,
    Ceiling,
    Component,
    CostCategory,
    DecisionException,
    DecisionLetter,
    Indicator,
    ReportingDeadline,
    Review,
    Side,
    State,
)


def coordinator_municipality_ids(user: User) -> list[int]:
    """The municipalities whose applications this person co-writes."""
    return sorted(reach(user, Perm.APPLICATION_WRITE).municipalities)


def coordinator_side(user: User, application: Application) -> str | None:
    """Which side of the application this coordinator writes for, if any."""
    ids = reach(user, Perm.APPLICATION_WRITE).municipalities
    if application.swedish_partner_id in ids:
        return Side.SWEDISH
    if application.partner_id in ids:
        return Side.PARTNER
    return None


def _base() -> QuerySet[Application]:
    return Application.objects.select_related(
        "call__network",
        "swedish_partner",
        "partner",
        "area",
        "partnership",
        "swedish_signed_off_by",
        "partner_signed_off_by",
        "signoffs_cleared_by",
    )


def application_list_for_user(*, user: User) -> QuerySet[Application]:
    """The applications this person may see (`Perm.APPLICATION_VIEW`)."""
    where = reach(user, Perm.APPLICATION_VIEW)
    if where.everywhere:
        return _base()
    ids = where.municipalities
    visible = Q(swedish_partner_id__in=ids) | Q(partner_id__in=ids)
    if where.assigned:
        visible |= Q(reviews__reviewer=user)
    return _base().filter(visible).distinct()


def application_target(application: Application) -> Target:
    """An application belongs to both its municipalities and is assigned to its reviewers."""
    reviewers = application.reviews.values_list("reviewer_id", flat=True)
    return municipality_target(
        application.swedish_partner_id, application.partner_id, assigned=reviewers
    )


def application_for_user(
    *, user: User, pk: int, perm: Perm = Perm.APPLICATION_VIEW, page: bool = True
) -> Application:
    """The application, for doing `perm` on it: 404 when the person may not see it (or it does
    not exist), 403 when they see it but may not do `perm`. With `page`, what its page shows
    comes along (sections, team, budget, results, agreement); an autosave needs none of it."""
    found = _base()
    if page:
        found = found.prefetch_related(
            "sections",
            "team",
            Prefetch("budget_lines", queryset=BudgetLine.objects.select_related("category")),
            "results__indicators__actuals",
            "agreement__deadlines",
        )
    application = found.filter(pk=pk).first()
    target = application_target(application) if application is not None else None
    authorize(user, target, see=Perm.APPLICATION_VIEW, perm=perm)
    assert application is not None  # authorize refused a missing one
    return application


def call_for_user(*, user: User, pk: int, perm: Perm = Perm.CALL_MANAGE) -> Call:
    """A call, for its officers' pages (`Perm.CALL_MANAGE`)."""
    call = call_list().filter(pk=pk).first()
    authorize(user, NOBODYS if call is not None else None, see=perm, perm=perm)
    assert call is not None  # authorize refused a missing one
    return call


def review_for_reviewer(*, user: User, application: Application) -> Review | None:
    return application.reviews.filter(reviewer=user).first()


def reviews_visible_to(*, user: User, application: Application) -> list[Review]:
    """Officers see every submitted review; a reviewer sees others' reviews only after
    submitting their own; coordinators see none."""
    submitted = list(
        application.reviews.filter(submitted_at__isnull=False).select_related("reviewer")
    )
    own = any(review.reviewer_id == user.pk for review in submitted)
    return submitted if can_see_other_reviews(user=user, has_submitted_own=own) else []


def call_list() -> QuerySet[Call]:
    return Call.objects.select_related("network").order_by("-created_at")


def calls_open_for_application() -> QuerySet[Call]:
    now = timezone.now()
    return (
        call_list()
        .filter(state=CallState.PUBLISHED)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gte=now))
    )


@dataclass
class PublicCalls:
    """What the public list shows: open calls, upcoming ones, and past ones (closed by an
    officer, or past their deadline; listed without a way to apply). Drafts never."""

    open: list[Call]
    upcoming: list[Call]
    past: list[Call]


def calls_public(*, now: datetime | None = None) -> PublicCalls:
    """Every call the public may see, sorted by its deadline (one query)."""
    now = now or timezone.now()
    rows = list(
        call_list()
        .filter(state__in=(CallState.PUBLISHED, CallState.CLOSED))
        .order_by("closes_at", "opens_at", "pk")
    )
    listed = PublicCalls(open=[], upcoming=[], past=[])
    for call in rows:
        if call.state == CallState.CLOSED or (call.closes_at and call.closes_at < now):
            listed.past.append(call)
        elif call.opens_at and call.opens_at > now:
            listed.upcoming.append(call)
        else:
            listed.open.append(call)
    listed.past.sort(key=lambda c: c.closes_at or c.created_at, reverse=True)
    return listed


def call_public_get(*, pk: int) -> Call:
    """A published call for its public page; a draft, a closed call or no call at all raise
    `Call.DoesNotExist` (the page answers 404)."""
    return call_list().get(pk=pk, state=CallState.PUBLISHED)


def call_cost_categories() -> tuple[list[CostCategory], list[CostCategory]]:
    """The eligible and the ineligible kinds of cost every call's budgets follow."""
    categories = list(CostCategory.objects.all())
    return [c for c in categories if c.eligible], [c for c in categories if not c.eligible]


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


def municipalities_by_ids(ids: list[int]) -> QuerySet[Municipality]:
    return Municipality.objects.filter(pk__in=ids)


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
            result__application__state__in=COMMITTED_STATES,
        )
        .select_related("result__application")
        .prefetch_related("actuals")
        .order_by("result__application_id", "result_id", "id")
    )
    results: dict[int, list[IndicatorResult]] = {pk: [] for pk in partnership_ids}
    for item in indicators:
        partnership_id = item.result.application.partnership_id
        assert partnership_id is not None  # the filter asked for these partnerships
        results[partnership_id].append(
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


def ceiling_for(call: Call) -> Ceiling | None:
    """The ceiling of the call's component in its programme region, if the funder set one."""
    return Ceiling.objects.filter(component=call.component, region=call.region).first()


def call_committed(call: Call) -> Decimal:
    """What the call's granted applications have committed of its budget."""
    total = call.applications.filter(state__in=COMMITTED_STATES).aggregate(s=Sum("granted_amount"))
    return total["s"] or Decimal(0)


def area_text(area: CooperationArea | None) -> str:
    """An application's area as a page posts it (its key, or nothing)."""
    return str(area.pk) if area else ""


def area_name(pk: str) -> str:
    """The name of the area a page posted, for a conflict panel."""
    area = CooperationArea.objects.filter(pk=pk).first() if pk else None
    return str(area) if area else "–"


def field_base(application: Application, name: str) -> str:
    """The base digest of an application field as a page shows it."""
    value = application.title if name == "title" else area_text(application.area)
    return drafts.digest(value)


def budget_rule_line(category: CostCategory, amount: Decimal, year: int) -> rules.Line:
    """A budget line as the funder's rules see it."""
    return rules.Line(
        category=category.name,
        eligible=category.eligible,
        amount=amount,
        year=year,
        explanation=category.explanation,
    )


def application_budget_problems(application: Application) -> list[str]:
    ceiling = ceiling_for(application.call)
    lines = [
        budget_rule_line(line.category, line.amount, line.year)
        for line in application.budget_lines.select_related("category")
    ]
    return rules.budget_problems(
        lines,
        ceiling=ceiling.amount if ceiling else None,
        per_year=bool(ceiling and ceiling.per_year),
    )


def application_problems(application: Application) -> list[str]:
    """Everything that keeps an application from being submitted, in words for its writers."""
    problems = []
    if not application.title.strip():
        problems.append(_("The application needs a title."))
    if application.area_id is None:
        problems.append(_("Choose the cooperation area."))
    if not application.letter_of_intent:
        problems.append(_("Upload the letter of intent signed by both partners."))
    summary = application.sections.filter(key=ApplicationSection.Key.SUMMARY).first()
    if summary is None or not (getattr(summary, f"text_{summary.source_language}") or "").strip():
        problems.append(_("Write the summary in its original language."))
    if application.call.component == Component.INCEPTION:
        members = list(application.team.values_list("side", "role"))
        sides: dict[str, str] = {
            Side.SWEDISH: str(application.swedish_partner),
            Side.PARTNER: str(application.partner),
        }
        problems += rules.team_problems(members, sides=sides)
    elif not application.results.filter(indicators__isnull=False).exists():
        problems.append(_("The results plan needs an objective or outcome with an indicator."))
    return problems + application_budget_problems(application)


# Sign-offs, who changed what, exceptions to the decision rules, documents (issue 12.6) ----------
def signoff_problems(application: Application) -> list[str]:
    """What is missing of the two partners' sign-offs before the application is submitted."""
    waiting = read_consent(application, Application.SIGNOFF).waiting_for
    names = {Side.SWEDISH: application.swedish_partner, Side.PARTNER: application.partner}
    return [
        _("%(municipality)s has not signed the application off.") % {"municipality": names[side]}
        for side in waiting
    ]


@dataclass(frozen=True)
class Change:
    by: str  # the person's name as the audit trail holds it (a pseudonym once erased)
    at: object  # a datetime


# The audit actions that change each part of an application's content, and which part.
CONTENT_ACTIONS = {
    "upload_letter": "letter",
    "add_team_member": "team",
    "remove_team_member": "team",
    "add_budget_line": "budget",
    "remove_budget_line": "budget",
    "add_result": "results",
    "add_indicator": "results",
}


def application_changes(application: Application, *, limit: int = 500) -> dict[str, Change]:
    """Per part of the content (each section's key, `title`, `area`, `letter`, `team`,
    `budget`, `results`): who changed it last and when, read from the audit trail in one
    query. For the application's own team: the names are never shown publicly."""
    entries = (
        AuditEntry.objects.filter(
            object_type=Application._meta.label_lower,
            object_id=str(application.pk),
            action__in=["save_draft", *CONTENT_ACTIONS],
        )
        .order_by("-created_at", "-id")
        .values_list("action", "after", "actor_label", "created_at")[:limit]
    )
    changes: dict[str, Change] = {}
    for action, after, label, at in entries:
        if action == "save_draft":
            keys = (after or {}).get("changed", [])
        else:
            keys = [CONTENT_ACTIONS[action]]
        for key in keys:
            changes.setdefault(key, Change(by=label, at=at))
    return changes


def completed_reviews(application: Application) -> int:
    """Reviews submitted with scores (a declared conflict of interest is no assessment)."""
    return application.reviews.filter(
        submitted_at__isnull=False, conflict_of_interest=False
    ).count()


@dataclass(frozen=True)
class ExceptionNeeds:
    """Which rules a grant of `amount` would break: above what was asked, too few reviews."""

    above_requested: bool
    too_few_reviews: bool
    requested: Decimal
    reviews: int
    min_reviews: int

    @property
    def any(self) -> bool:
        return self.above_requested or self.too_few_reviews

    def messages(self) -> list[str]:
        found = []
        if self.above_requested:
            found.append(
                _("The amount is above the SEK %(requested)s the partners asked for.")
                % {"requested": format_money(self.requested, "")}
            )
        if self.too_few_reviews:
            found.append(
                _(
                    "The call asks for %(required)s completed reviews before a grant; "
                    "this application has %(done)s."
                )
                % {"required": self.min_reviews, "done": self.reviews}
            )
        return found


def exception_needs(application: Application, amount: Decimal) -> ExceptionNeeds:
    requested = sum((line.amount for line in application.budget_lines.all()), Decimal(0))
    reviews = completed_reviews(application)
    return ExceptionNeeds(
        above_requested=amount > requested,
        too_few_reviews=reviews < application.call.min_reviews,
        requested=requested,
        reviews=reviews,
        min_reviews=application.call.min_reviews,
    )


def decision_exceptions(application: Application) -> list[DecisionException]:
    return list(
        application.decision_exceptions.select_related("requested_by", "answered_by").order_by(
            "-requested_at", "-id"
        )
    )


def decision_exception_for_user(
    *, user: User, pk: int, exception_pk: int, perm: Perm = Perm.APPLICATION_DECIDE
) -> DecisionException:
    """An exception request of an application, for programme officers (404 when the
    application or the request is not there)."""
    application = application_for_user(user=user, pk=pk, perm=perm)
    found = application.decision_exceptions.filter(pk=exception_pk).first()
    if found is None:
        raise AccessRefused(hidden=True, perm=perm)
    return found


def decision_letter_for_user(*, user: User, pk: int, side: str) -> DecisionLetter:
    """One partner's decision letter, for the people who may see the decision's documents."""
    application = application_for_user(user=user, pk=pk, perm=Perm.DECISION_DOCUMENTS_VIEW)
    letter = application.decision_letters.filter(side=side).first()
    if letter is None:
        raise AccessRefused(hidden=True, perm=Perm.DECISION_DOCUMENTS_VIEW)
    return letter


def agreement_for_user(*, user: User, pk: int) -> Agreement:
    """The agreement of a granted application, for the people who may see its documents."""
    application = application_for_user(user=user, pk=pk, perm=Perm.DECISION_DOCUMENTS_VIEW)
    agreement = Agreement.objects.filter(application=application).first()
    if agreement is None:
        raise AccessRefused(hidden=True, perm=Perm.DECISION_DOCUMENTS_VIEW)
    return agreement


def letter_of_intent_for_user(*, user: User, pk: int) -> Application:
    """The application whose signed letter of intent the person downloads (404 without one)."""
    application = application_for_user(user=user, pk=pk)
    if not application.letter_of_intent:
        raise AccessRefused(hidden=True, perm=Perm.APPLICATION_VIEW)
    return application


# The language a partner reads its letters in: Swedish for Swedish partners, Ukrainian for
# Ukrainian ones, English for every other country.
COUNTRY_LANGUAGES = {"SE": "sv", "UA": "uk"}


def partner_language(municipality: Municipality) -> str:
    return COUNTRY_LANGUAGES.get(municipality.country_id, "en")


# The start page (`/{lang}/me/`) ---------------------------------------------------------------
REPORTS_AHEAD = timedelta(days=90)  # a report shows as waiting this long before it is due
_SCREEN = (State.SUBMITTED, State.RESUBMITTED)


def _application_url(application_id: int, anchor: str = "") -> str:
    url = reverse("grants:application", kwargs={"pk": application_id})
    return f"{url}#{anchor}" if anchor else url


def waiting_for(*, user: User, today: date | None = None) -> list[Waiting]:
    """What waits for the person in grants, each with the page where it is done: sections the
    partner changed since the person's own last change, agreements and reports of their
    municipality, their reviews, and (officers) applications to screen and decide. A fixed
    number of queries, whatever the number of applications."""
    today = today or timezone.localdate()
    items: list[Waiting] = []
    items += _changed_by_partner(user)
    items += _agreements_and_reports(user, today)
    if holds(user, Perm.APPLICATION_REVIEW):
        reviews = Review.objects.filter(
            reviewer=user, submitted_at__isnull=True, application__state=State.IN_REVIEW
        ).select_related("application__swedish_partner", "application__partner")
        items += [
            Waiting(
                what=gettext_noop("Review “%(title)s”"),
                params={"title": review.application},
                url=reverse("grants:review", kwargs={"pk": review.application_id}),
                since=review.assigned_at,
                kind="review",
            )
            for review in reviews.order_by("assigned_at", "pk")
        ]
    if reach(user, Perm.APPLICATION_MANAGE).everywhere:
        items += [
            Waiting(
                what=gettext_noop("Screen “%(title)s”"),
                params={"title": a},
                url=_application_url(a.pk),
                since=a.submitted_at,
                kind="screen",
            )
            for a in _base().filter(state__in=_SCREEN).order_by("submitted_at", "pk")
        ]
    if reach(user, Perm.APPLICATION_DECIDE).everywhere:
        items += [
            Waiting(
                what=gettext_noop("Decide on “%(title)s”"),
                params={"title": a},
                url=reverse("grants:decide", kwargs={"pk": a.pk}),
                since=a.submitted_at,
                kind="decide",
            )
            for a in _base().filter(state=State.IN_REVIEW).order_by("submitted_at", "pk")
        ]
    return items


def _changed_by_partner(user: User) -> list[Waiting]:
    """Drafts of the person's municipalities whose sections someone else saved after the
    person's own last change to that application (two queries)."""
    ids = reach(user, Perm.APPLICATION_WRITE).municipalities
    if not ids:
        return []
    drafts_ = {
        a.pk: a
        for a in _base().filter(
            Q(swedish_partner_id__in=ids) | Q(partner_id__in=ids), state__in=EDITABLE_STATES
        )
    }
    if not drafts_:
        return []
    entries = (
        AuditEntry.objects.filter(
            object_type=Application._meta.label_lower,
            object_id__in=[str(pk) for pk in drafts_],
        )
        .order_by("created_at", "id")
        .values_list("object_id", "actor_id", "action", "created_at")
    )
    mine: dict[int, object] = {}
    theirs: dict[int, object] = {}
    for object_id, actor_id, action, created_at in entries:
        pk = int(object_id)
        if actor_id == user.pk:
            mine[pk] = created_at
            theirs.pop(pk, None)  # the person has been at work on it since
        elif action == "save_draft":
            theirs[pk] = created_at
    return [
        Waiting(
            what=gettext_noop("Your partner has changed the text of “%(title)s”"),
            params={"title": drafts_[pk]},
            url=_application_url(pk),
            since=at,  # type: ignore[arg-type]  # a datetime from the audit trail
            kind="changed",
        )
        for pk, at in sorted(theirs.items(), key=lambda item: str(item[1]))
    ]


def _agreements_and_reports(user: User, today: date) -> list[Waiting]:
    """Agreements the person's side has not accepted, and reports due soon (two queries)."""
    ids = reach(user, Perm.AGREEMENT_ACCEPT).municipalities
    if not ids:
        return []
    mine = Q(application__swedish_partner_id__in=ids) | Q(application__partner_id__in=ids)
    items = []
    agreements = Agreement.objects.filter(mine, application__state=State.GRANTED).select_related(
        "application__swedish_partner", "application__partner"
    )
    for agreement in agreements.order_by("created_at", "pk"):
        a = agreement.application
        if (a.swedish_partner_id in ids and agreement.swedish_accepted_at is None) or (
            a.partner_id in ids and agreement.partner_accepted_at is None
        ):
            items.append(
                Waiting(
                    what=gettext_noop("Accept the grant agreement for “%(title)s”"),
                    params={"title": a},
                    url=_application_url(a.pk, "agreement-heading"),
                    since=agreement.created_at,
                    kind="agreement",
                )
            )
    deadlines = ReportingDeadline.objects.filter(
        Q(agreement__application__swedish_partner_id__in=ids)
        | Q(agreement__application__partner_id__in=ids),
        agreement__application__state__in=(State.AGREEMENT_SIGNED, State.ACTIVE),
        due_on__gte=today,
        due_on__lte=today + REPORTS_AHEAD,
        # Once the agreement's reports are scheduled, the start page lists those instead.
        agreement__reports__isnull=True,
    ).select_related("agreement__application__swedish_partner", "agreement__application__partner")
    items += [
        Waiting(
            what=gettext_noop("%(report)s for “%(title)s” is due on %(date)s"),
            params={
                "report": d.get_kind_display(),
                "title": d.agreement.application,
                "date": d.due_on.isoformat(),
            },
            url=_application_url(d.agreement.application_id),
            since=d.due_on,
            kind="report",
        )
        for d in deadlines.order_by("due_on", "pk")
    ]
    return items
