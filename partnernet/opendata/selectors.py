"""Reads for the open data: only what the public pages publish (`partnership_public_list`),
loaded in chunks so that exports of any size keep memory flat."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from partnernet.grants.models import COMMITTED_STATES, Agreement, BudgetLine
from partnernet.grants.selectors import partnership_results
from partnernet.municipalities.selectors import municipality_list
from partnernet.partnerships.models import FundingTransaction, Network, Partnership
from partnernet.partnerships.selectors import network_public_list, partnership_public_list
from partnernet.reports.models import (
    Expenditure,
    IndicatorValue,
    PlanIndicator,
    PlanState,
    PlanStatement,
    Reimbursement,
    Report,
    ReportKind,
    ReportState,
    ResultsPlan,
)

CHUNK = 500


def published_partnerships() -> QuerySet[Partnership]:
    """Published partnerships with everything the datasets and IATI show, oldest first (rows:
    the channels read them through the public projection)."""
    transactions = FundingTransaction.objects.order_by("date", "id")
    return (
        partnership_public_list()
        .prefetch_related(Prefetch("transactions", queryset=transactions))
        .order_by("pk")  # not the slug: a stored slug names a partner that may be private
    )


def iter_published_partnerships() -> Iterator[Partnership]:
    return published_partnerships().iterator(chunk_size=CHUNK)


def published_municipalities() -> QuerySet:
    return municipality_list().order_by("country_id", "code")


def published_networks() -> QuerySet[Network]:
    published = Count("partnerships", filter=Q(partnerships__publication="published"))
    return network_public_list().annotate(published=published).order_by("slug")


def partnership_indicators(partnership_ids: list[int]) -> dict[int, list]:
    """Indicators of each partnership's results plan (the grants app's LFA), when it has one."""
    return partnership_results(partnership_ids=partnership_ids)


def iter_published_in_chunks() -> Iterator[list[Partnership]]:
    """Published partnerships in lists of CHUNK, so related data can be read per chunk."""
    chunk: list[Partnership] = []
    for item in iter_published_partnerships():
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- what the partnerships reported (reports app) -------------------------------------------


@dataclass
class PlanIndicatorData:
    lineage: str
    name: str
    unit: str
    baseline: Decimal
    baseline_date: date | None
    targets: dict[int, Decimal]
    actuals: dict[int, Decimal]  # accounting year → value of an APPROVED report


@dataclass
class PlanStatementData:
    level: str
    text: str
    language: str
    indicators: list[PlanIndicatorData]


@dataclass
class ReportMoney:
    """One approved report: its period, what it reported and what was reimbursed for it."""

    year: int
    period_start: date
    period_end: date
    reported: Decimal
    budget: Decimal | None
    reimbursed: Decimal | None
    reimbursed_on: date | None


@dataclass
class Reporting:
    """What one partnership's reporting publishes: the approved plan, the accounting years'
    periods, its agreement years' budgets and the money of its approved reports."""

    statements: list[PlanStatementData] = field(default_factory=list)
    periods: dict[int, tuple[date, date]] = field(default_factory=dict)
    budgets: list[tuple[date, date, Decimal]] = field(default_factory=list)
    reports: list[ReportMoney] = field(default_factory=list)


@dataclass(frozen=True)
class _ReportRow:
    pk: int
    partnership_id: int
    kind: str
    state: str
    year: int
    period_start: date
    period_end: date


def _agreement_years(agreement: Agreement) -> list[tuple[date, date]]:
    """The agreement's years: from its start, one year each, the last one cut at its end."""
    years, start = [], agreement.starts_on
    while start <= agreement.ends_on:
        following = _years_after(start, 1)
        years.append((start, min(following - timedelta(days=1), agreement.ends_on)))
        start = following
    return years


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def partnership_reporting(partnership_ids: list[int]) -> dict[int, Reporting]:
    """`Reporting` of each partnership, in a constant number of queries whatever their number
    (plans with statements, indicators, targets; reports with values; sums; agreements with
    budget lines)."""
    found: dict[int, Reporting] = {pk: Reporting() for pk in partnership_ids}
    if not partnership_ids:
        return found
    indicators = PlanIndicator.objects.prefetch_related("targets").order_by("order", "pk")
    statements = PlanStatement.objects.prefetch_related(
        Prefetch("indicators", queryset=indicators)
    ).order_by("order", "pk")
    plans = ResultsPlan.objects.filter(
        partnership_id__in=partnership_ids, state=PlanState.APPROVED
    ).prefetch_related(Prefetch("statements", queryset=statements))
    rows = (
        Report.objects.filter(partnership_id__in=partnership_ids)
        .order_by("period_start", "pk")
        .values_list("pk", "partnership_id", "kind", "state", "period_start", "period_end")
    )
    # A report's year is the year its period ends in: an annual report's accounting year, the
    # last year of a final (or milestone) report; the indicators page reads targets the same way.
    reports = [
        _ReportRow(pk, owner, kind, state, end.year, start, end)
        for pk, owner, kind, state, start, end in rows
    ]
    approved = [r for r in reports if r.state == ReportState.APPROVED]
    values = (
        IndicatorValue.objects.filter(report_id__in=[r.pk for r in approved], value__isnull=False)
        .order_by("report__period_start", "report_id")
        .values_list("report_id", "indicator__lineage", "value")
    )
    year_of = {r.pk: (r.partnership_id, r.year) for r in approved}
    # (partnership, indicator lineage) → accounting year → the approved report's value
    actuals: dict[tuple[int, str], dict[int, Decimal]] = {}
    for report_id, lineage, value in values:
        partnership_id, year = year_of[report_id]
        if value is not None:
            actuals.setdefault((partnership_id, str(lineage)), {})[year] = value
    for r in reports:  # the annual report's period is its accounting year's
        periods = found[r.partnership_id].periods
        if r.kind == ReportKind.ANNUAL or r.year not in periods:
            periods[r.year] = (r.period_start, r.period_end)
    for plan in plans:
        target = found[plan.partnership_id]
        for statement in plan.statements.all():
            target.statements.append(
                PlanStatementData(
                    level=statement.level,
                    text=statement.text,
                    language=statement.language,
                    indicators=[
                        PlanIndicatorData(
                            lineage=str(i.lineage),
                            name=i.name,
                            unit=i.unit,
                            baseline=i.baseline_value,
                            baseline_date=i.baseline_date,
                            targets={t.year: t.value for t in i.targets.all()},
                            actuals=actuals.get((plan.partnership_id, str(i.lineage)), {}),
                        )
                        for i in statement.indicators.all()
                    ],
                )
            )
    agreements = Agreement.objects.filter(
        application__partnership_id__in=partnership_ids,
        application__state__in=COMMITTED_STATES,
    ).select_related("application")
    lines = (
        BudgetLine.objects.filter(application__agreement__in=agreements)
        .values("application_id", "year")
        .annotate(total=Sum("amount"))
    )
    by_year = {(row["application_id"], row["year"]): row["total"] for row in lines}
    year_budgets: dict[int, list[tuple[date, date, Decimal]]] = {}
    for agreement in agreements.order_by("starts_on", "pk"):
        owner = agreement.application.partnership_id
        assert owner is not None  # the filter asked for these partnerships
        for number, (start, end) in enumerate(_agreement_years(agreement), start=1):
            amount = by_year.get((agreement.application_id, number))
            if amount:
                year_budgets.setdefault(owner, []).append((start, end, amount))
    for owner, budgets in year_budgets.items():
        found[owner].budgets = budgets
    totals = dict(
        Expenditure.objects.filter(report_id__in=[r.pk for r in approved])
        .values("report_id")
        .annotate(total=Sum("amount_sek"))
        .values_list("report_id", "total")
    )
    paid = {
        row.report_id: row
        for row in Reimbursement.objects.filter(report_id__in=[r.pk for r in approved])
    }
    for r in approved:
        target = found[r.partnership_id]
        budget = next(
            (amount for start, end, amount in target.budgets if start <= r.period_start <= end),
            None,
        )
        payment = paid.get(r.pk)
        target.reports.append(
            ReportMoney(
                year=r.year,
                period_start=r.period_start,
                period_end=r.period_end,
                reported=totals.get(r.pk) or Decimal(0),
                budget=budget,
                reimbursed=payment.amount if payment else None,
                reimbursed_on=payment.paid_on if payment else None,
            )
        )
    return found
