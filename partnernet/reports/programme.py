"""The programme at a glance and the funder's budget: plain figures for programme and finance
officers, computed in the database with a constant number of queries whatever the size of the
programme (every figure is an aggregate: `values().annotate()`, conditional `Count`/`Sum`, one
`UNION ALL` per money table).

What the filters mean (`Filters`):
- network: the partnerships of the network, the grants of its calls, their reports;
- call: the partnerships granted in the call, its grants, the reports of its agreements;
- year: the partnerships whose period overlaps the year (an unknown period counts), the grants
  decided in the year, the reports due in the year (and their costs and reimbursements).

Money: *granted* is the committed grants (`grants.models.COMMITTED_STATES`) at the agreement's
amount, or the decided amount before there is an agreement; *reported* the costs (SEK) of
submitted and approved reports; *reimbursed* what the funder paid; *remaining* granted less
reimbursed.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnernet.grants.models import COMMITTED_STATES, Application, Call, Component
from partnernet.lib.languages import fallback_order
from partnernet.lib.money import format_money, format_number
from partnernet.matchmaking.models import WAITING, QueueEntry
from partnernet.municipalities.models import Region
from partnernet.municipalities.names import display_name
from partnernet.partnerships.models import CooperationArea, Network, Partnership

from .models import (
    WRITABLE_REPORT_STATES,
    Expenditure,
    IndicatorValue,
    PlanIndicator,
    PlanState,
    PlanTarget,
    Reimbursement,
    Report,
    ReportState,
)
from .progress import STATUS_LABELS, STATUSES, indicator_status

DUE_SOON_DAYS = 60
REPORTED_STATES = (ReportState.SUBMITTED, ReportState.APPROVED)
MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Decimal(0)


# Filters ----------------------------------------------------------------------------------------
class FilterForm(forms.Form):
    """The dashboard's filters, from the query string; every value is checked."""

    network = forms.ChoiceField(label=_("Network"), required=False)
    call = forms.TypedChoiceField(label=_("Call"), required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, data, *, networks: list[Network], calls: list[Call], language: str):
        super().__init__(data)
        self.networks = {n.slug: n for n in networks}
        self.calls = {c.pk: c for c in calls}
        cast(forms.ChoiceField, self.fields["network"]).choices = [("", _("All networks"))] + [
            (n.slug, label(n, "name", language)) for n in networks
        ]
        cast(forms.ChoiceField, self.fields["call"]).choices = [("", _("All calls"))] + [
            (c.pk, label(c, "title", language)) for c in calls
        ]

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            network=self.networks.get(data.get("network") or ""),
            call=self.calls.get(data["call"]) if data.get("call") is not None else None,
            year=data.get("year"),
        )


@dataclass(frozen=True)
class Filters:
    network: Network | None = None
    call: Call | None = None
    year: int | None = None

    def as_params(self) -> dict[str, str]:
        params = {}
        if self.network is not None:
            params["network"] = self.network.slug
        if self.call is not None:
            params["call"] = str(self.call.pk)
        if self.year is not None:
            params["year"] = str(self.year)
        return params


def filter_form(data, *, language: str) -> FilterForm:
    """The filter form over every network and call (two queries)."""
    networks = list(Network.objects.order_by("slug"))
    calls = list(Call.objects.select_related("network").order_by("-created_at", "id"))
    return FilterForm(data, networks=networks, calls=calls, language=language)


def label(obj: object, field_name: str, language: str) -> str:
    """A translated field of `obj` in the reader's language, else the fallback order."""
    source = getattr(obj, "source_language", None) or "sv"
    for code in fallback_order(language, source):
        value = getattr(obj, f"{field_name}_{code}", "") or ""
        if value:
            return str(value)
    return str(getattr(obj, field_name, "") or obj)


def _label_from_row(row: dict, prefix: str, language: str, source: str | None) -> str:
    for code in fallback_order(language, source or "sv"):
        value = row.get(f"{prefix}_{code}") or ""
        if value:
            return str(value)
    return str(row.get(prefix) or "")


# The scopes the figures are computed over -------------------------------------------------------
def partnerships_in(filters: Filters) -> QuerySet[Partnership]:
    rows = Partnership.objects.all()
    if filters.network is not None:
        rows = rows.filter(network=filters.network)
    if filters.call is not None:
        rows = rows.filter(
            pk__in=Application.objects.filter(call=filters.call, state__in=COMMITTED_STATES).values(
                "partnership_id"
            )
        )
    if filters.year is not None:
        rows = rows.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=date(filters.year, 12, 31)),
            Q(end_date__isnull=True) | Q(end_date__gte=date(filters.year, 1, 1)),
        )
    return rows


def grants_in(filters: Filters) -> QuerySet[Application]:
    rows = Application.objects.filter(state__in=COMMITTED_STATES)
    if filters.network is not None:
        rows = rows.filter(call__network=filters.network)
    if filters.call is not None:
        rows = rows.filter(call=filters.call)
    if filters.year is not None:
        rows = rows.filter(decided_at__year=filters.year)
    return rows


def reports_in(filters: Filters, prefix: str = "") -> Q:
    """The reports in scope, as a condition on `prefix` (`""` for Report itself)."""
    condition = Q()
    if filters.network is not None:
        condition &= Q(**{f"{prefix}partnership__network": filters.network})
    if filters.call is not None:
        condition &= Q(**{f"{prefix}agreement__application__call": filters.call})
    if filters.year is not None:
        condition &= Q(**{f"{prefix}due_on__year": filters.year})
    return condition


# Money: one UNION ALL of grants, costs and reimbursements, grouped by a key ---------------------
# For each table: where its key and label columns are found from a grant, a cost, a payment.
KEYS = {
    "total": None,
    "call": (
        "call",
        "report__agreement__application__call",
        "report__agreement__application__call",
    ),
    "component": ("call__component", "report__component", "report__component"),
    "partnership": ("partnership", "report__partnership", "report__partnership"),
}
LABELS = {"call": "title", "partnership": "title"}


@dataclass
class MoneyRow:
    key: object
    label: str
    granted: Decimal = ZERO
    reported: Decimal = ZERO
    reimbursed: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.granted - self.reimbursed


def _money_part(rows: QuerySet, path: str | None, table: str, amount, column: str) -> QuerySet:
    """One part of the union: `rows` grouped by the key at `path`, with label columns."""
    names: dict[str, object] = {}
    if path is not None:
        names["k"] = F(path)
        if table in LABELS:
            field_name = LABELS[table]
            for code in ("sv", "uk", "en"):
                names[f"l_{code}"] = F(f"{path}__{field_name}_{code}")
            names["l"] = F(f"{path}__{field_name}")
            names["l_src"] = F(f"{path}__source_language")
    else:
        names["k"] = Value(0, output_field=IntegerField())
    sums: dict[str, Any] = {
        c: Value(ZERO, output_field=MONEY) for c in ("granted", "reported", "reimbursed")
    }
    sums[column] = Coalesce(Sum(amount, output_field=MONEY), Value(ZERO, output_field=MONEY))
    return (
        rows.order_by()
        .annotate(**names)
        .values(*names)
        .annotate(**sums)
        .values(*names, "granted", "reported", "reimbursed")
    )


def money_table(filters: Filters, table: str, language: str) -> list[MoneyRow]:
    """Granted, reported and reimbursed per `table` key ("total", "call", "component",
    "partnership"): one query. Rows keyed None hold what has no call (a report without an
    agreement)."""
    paths = KEYS[table] or (None, None, None)
    granted = grants_in(filters)
    costs = Expenditure.objects.filter(
        reports_in(filters, "report__"), report__state__in=REPORTED_STATES
    )
    paid = Reimbursement.objects.filter(reports_in(filters, "report__"))
    query = _money_part(
        granted,
        paths[0],
        table,
        Coalesce(F("agreement__amount"), F("granted_amount"), output_field=MONEY),
        "granted",
    ).union(
        _money_part(costs, paths[1], table, F("amount_sek"), "reported"),
        _money_part(paid, paths[2], table, F("amount"), "reimbursed"),
        all=True,
    )
    found: dict[object, MoneyRow] = {}
    for row in query:
        key = row["k"]
        if key not in found:
            if table == "component":
                text = str(Component(key).label) if key in Component.values else str(key or "")
            elif table in LABELS:
                text = _label_from_row(row, "l", language, row.get("l_src"))
            else:
                text = ""
            found[key] = MoneyRow(key=key, label=text or str(_("without a call")))
        item = found[key]
        item.granted += row["granted"] or ZERO
        item.reported += row["reported"] or ZERO
        item.reimbursed += row["reimbursed"] or ZERO
    rows = list(found.values())
    if table == "component":
        order = {code: i for i, code in enumerate(Component.values)}
        rows.sort(key=lambda r: (order.get(str(r.key), len(order)), r.label))
    else:
        rows.sort(key=lambda r: (r.key is None, r.label.casefold()))
    return rows


def money_total(rows: list[MoneyRow]) -> MoneyRow:
    total = MoneyRow(key="total", label=str(_("Total")))
    for row in rows:
        total.granted += row.granted
        total.reported += row.reported
        total.reimbursed += row.reimbursed
    return total


# Charts as plain numbers ------------------------------------------------------------------------
CHART_WIDTH = 300
BAR_HEIGHT = 22
ROW = 18 + BAR_HEIGHT + 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str
    width: int
    y: int


@dataclass(frozen=True)
class Chart:
    """A bar chart of one figure group: drawn as SVG, and the same numbers as a table."""

    slug: str
    title: str
    description: str
    heading: str  # the column heading of the values
    bars: list[Bar]
    height: int


def chart(slug: str, title, description, heading, rows: list[tuple[str, float, str]]) -> Chart:
    """Bars scaled to the largest value, each with its label above and its value beside (pure)."""
    top = max((v for _l, v, _s in rows), default=0) or 1
    bars, y = [], 0
    for text, value, shown in rows:
        width = round(CHART_WIDTH * value / top) if value > 0 else 0
        bars.append(Bar(text, value, shown, max(width, 2 if value > 0 else 0), y + 18))
        y += ROW
    return Chart(slug, str(title), str(description), str(heading), bars, max(y, ROW))


# The dashboard ----------------------------------------------------------------------------------
@dataclass
class QueueCountry:
    country: str
    waiting: int
    median_days: float
    longest_days: int


@dataclass
class Dashboard:
    filters: Filters
    portfolio: dict[str, list[tuple[str, int]]]
    partnerships: int
    reports: dict[str, int]
    money: MoneyRow
    results: dict[str, int]
    queue: list[QueueCountry]
    today: date
    charts: list[Chart] = field(default_factory=list)


PORTFOLIO_GROUPS = ("phase", "status", "area", "region", "call")
REPORT_FIGURES = ("due_soon", "overdue", "submitted", "approved_unpaid")


def portfolio_titles() -> dict[str, object]:
    return {
        "phase": _("Partnerships by phase"),
        "status": _("Partnerships by status"),
        "area": _("Partnerships by cooperation area"),
        "region": _("Partnerships by region of the international partner"),
        "call": _("Partnerships by call"),
    }


def report_labels() -> dict[str, object]:
    return {
        "due_soon": _("Due in the next %(days)s days") % {"days": DUE_SOON_DAYS},
        "overdue": _("Overdue"),
        "submitted": _("Waiting for review"),
        "approved_unpaid": _("Approved, waiting for reimbursement"),
    }


def money_labels() -> dict[str, object]:
    return {
        "granted": _("Granted"),
        "reported": _("Reported"),
        "reimbursed": _("Reimbursed"),
        "remaining": _("Remaining"),
    }


def _portfolio(filters: Filters, language: str) -> tuple[dict[str, list[tuple[str, int]]], int]:
    """Partnerships per phase, status, area, region and call: five queries."""
    scope = partnerships_in(filters)
    grouped = (
        scope.order_by()
        .values("phase", "status", "area_id", "partner__region_id")
        .annotate(n=Count("id"))
    )
    by: dict[str, dict[object, int]] = {g: defaultdict(int) for g in PORTFOLIO_GROUPS}
    total = 0
    for row in grouped:
        total += row["n"]
        by["phase"][row["phase"]] += row["n"]
        by["status"][row["status"]] += row["n"]
        by["area"][row["area_id"]] += row["n"]
        by["region"][row["partner__region_id"]] += row["n"]
    calls = (
        Application.objects.filter(state__in=COMMITTED_STATES, partnership__in=scope)
        .order_by()
        .values("call_id")
        .annotate(n=Count("partnership_id", distinct=True))
    )
    by["call"] = {row["call_id"]: row["n"] for row in calls}
    areas = {
        a.pk: display_name(a, language)
        for a in CooperationArea.objects.filter(pk__in=list(by["area"]))
    }
    regions = {
        r.pk: display_name(r, language)
        for r in Region.objects.filter(pk__in=[k for k in by["region"] if k])
    }
    call_names = {
        c.pk: label(c, "title", language) for c in Call.objects.filter(pk__in=list(by["call"]))
    }
    unknown = str(_("not known"))
    names = {
        "phase": lambda k: (
            str(Partnership.Phase(k).label) if k in Partnership.Phase.values else str(k)
        ),
        "status": lambda k: (
            str(Partnership.Status(k).label) if k in Partnership.Status.values else str(k)
        ),
        "area": lambda k: areas.get(k, unknown),
        "region": lambda k: regions.get(k, unknown),
        "call": lambda k: call_names.get(k, unknown),
    }
    orders = {"phase": Partnership.Phase.values, "status": Partnership.Status.values}
    result = {}
    for group in PORTFOLIO_GROUPS:
        rows = [(names[group](k), n, k) for k, n in by[group].items()]
        if group in orders:
            rows.sort(key=lambda r: orders[group].index(r[2]) if r[2] in orders[group] else 99)
        else:
            rows.sort(key=lambda r: (-r[1], r[0].casefold()))
        result[group] = [(text, n) for text, n, _k in rows]
    return result, total


def _reports(filters: Filters, today: date) -> dict[str, int]:
    """Reports due soon, overdue, waiting for review, approved and not yet paid: one query."""
    writable = Q(state__in=WRITABLE_REPORT_STATES)
    return Report.objects.filter(reports_in(filters)).aggregate(
        due_soon=Count(
            "id",
            filter=writable
            & Q(due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)),
        ),
        overdue=Count("id", filter=writable & Q(due_on__lt=today)),
        submitted=Count("id", filter=Q(state=ReportState.SUBMITTED)),
        approved_unpaid=Count(
            "id", filter=Q(state=ReportState.APPROVED, reimbursement__isnull=True)
        ),
    )


def _results(filters: Filters, today: date) -> dict[str, int]:
    """Indicators of the approved plans in scope, on track / behind / no data: one query. Each
    is measured by its latest value in a submitted or approved report against its target for
    the year (the latest target up to the year; the first one before any is due)."""
    year = filters.year or today.year
    values = IndicatorValue.objects.filter(
        indicator=OuterRef("pk"), value__isnull=False, report__state__in=REPORTED_STATES
    )
    if filters.year is not None:
        values = values.filter(report__due_on__year__lte=filters.year)
    targets = PlanTarget.objects.filter(indicator=OuterRef("pk"))
    rows = (
        PlanIndicator.objects.filter(
            statement__plan__state=PlanState.APPROVED,
            statement__plan__partnership__in=partnerships_in(filters),
        )
        .annotate(
            actual=Subquery(
                values.order_by("-report__period_end", "-report_id").values("value")[:1]
            ),
            target=Coalesce(
                Subquery(targets.filter(year__lte=year).order_by("-year").values("value")[:1]),
                Subquery(targets.order_by("year").values("value")[:1]),
            ),
        )
        .values_list("baseline_value", "target", "actual")
    )
    counts = dict.fromkeys(STATUSES, 0)
    for baseline, target, actual in rows:
        counts[indicator_status(baseline=baseline, target=target, actual=actual)] += 1
    return counts


def _queue(filters: Filters, now) -> list[QueueCountry]:
    """Municipalities waiting in the queue per country, with the median and the longest wait
    in days: one query (the queue holds municipalities, never thousands of rows)."""
    rows = QueueEntry.objects.filter(stage__in=WAITING)
    if filters.network is not None:
        rows = rows.filter(network=filters.network)
    waits: dict[str, list[int]] = defaultdict(list)
    for country, joined in rows.order_by().values_list("municipality__country_id", "joined_at"):
        waits[country].append(max((now - joined).days, 0))
    return [
        QueueCountry(code, len(days), float(statistics.median(days)), max(days))
        for code, days in sorted(waits.items())
    ]


def dashboard(filters: Filters, *, language: str, country_names=None) -> Dashboard:
    """Every figure of the dashboard: a constant number of queries (nine)."""
    now = timezone.now()
    today = timezone.localdate(now)
    portfolio, total = _portfolio(filters, language)
    money = money_total(money_table(filters, "total", language))
    board = Dashboard(
        filters=filters,
        portfolio=portfolio,
        partnerships=total,
        reports=_reports(filters, today),
        money=money,
        results=_results(filters, today),
        queue=_queue(filters, now),
        today=today,
    )
    board.charts = dashboard_charts(board, language, country_names or (lambda code: code))
    return board


def dashboard_charts(board: Dashboard, language: str, country_name) -> list[Chart]:
    def count(n) -> str:
        return format_number(n, language)

    def sek(amount) -> str:
        return format_money(amount, "SEK", language)

    heading = _("Partnerships")
    titles = portfolio_titles()
    charts = [
        chart(
            f"portfolio-{group}",
            titles[group],
            _(
                "The number of partnerships in each group; every partnership counts once per "
                "chart, in each call it was granted in."
            ),
            heading,
            [(text, n, count(n)) for text, n in board.portfolio[group]],
        )
        for group in PORTFOLIO_GROUPS
    ]
    labels = report_labels()
    charts.append(
        chart(
            "reports",
            _("Reports"),
            _(
                "Reports due soon, overdue, waiting for review, and approved but not yet "
                "reimbursed."
            ),
            _("Reports"),
            [(str(labels[k]), board.reports[k], count(board.reports[k])) for k in REPORT_FIGURES],
        )
    )
    money_names = money_labels()
    charts.append(
        chart(
            "money",
            _("Money (SEK)"),
            _(
                "Granted, reported as costs, reimbursed, and remaining of the grants (granted less "
                "reimbursed), in SEK."
            ),
            _("Amount (SEK)"),
            [
                (
                    str(money_names[k]),
                    float(max(getattr(board.money, k), ZERO)),
                    sek(getattr(board.money, k)),
                )
                for k in ("granted", "reported", "reimbursed", "remaining")
            ],
        )
    )
    charts.append(
        chart(
            "results",
            _("Results: indicators"),
            _(
                "Indicators of the approved results plans that are on track, behind, or have no "
                "reported value yet."
            ),
            _("Indicators"),
            [(str(STATUS_LABELS[k]), board.results[k], count(board.results[k])) for k in STATUSES],
        )
    )
    charts.append(
        chart(
            "queue",
            _("Queue: median wait (days)"),
            _(
                "The median number of days the municipalities still waiting in the queue have "
                "waited, per country."
            ),
            _("Median wait (days)"),
            [(country_name(q.country), q.median_days, count(q.median_days)) for q in board.queue],
        )
    )
    return charts


@dataclass
class Budget:
    filters: Filters
    calls: list[MoneyRow]
    components: list[MoneyRow]
    partnerships: list[MoneyRow]

    @property
    def totals(self) -> dict[str, MoneyRow]:
        return {
            "calls": money_total(self.calls),
            "components": money_total(self.components),
            "partnerships": money_total(self.partnerships),
        }


def budget(filters: Filters, *, language: str) -> Budget:
    """The funder's budget: granted, reported, reimbursed and remaining per call, component and
    partnership; one query per table."""
    return Budget(
        filters=filters,
        calls=money_table(filters, "call", language),
        components=money_table(filters, "component", language),
        partnerships=money_table(filters, "partnership", language),
    )


BUDGET_TITLES = {
    "calls": (_("Per call"), _("Call")),
    "components": (_("Per component"), _("Component")),
    "partnerships": (_("Per partnership"), _("Partnership")),
}
