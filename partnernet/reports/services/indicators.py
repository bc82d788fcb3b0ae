"""The values a report gives its plan's indicators: which plan a report is measured against,
the rows of its results page (`indicator_rows`, a constant number of queries), saving the
values with a version check (`indicator_values_save`) and what the submit step refuses
(`indicator_values_problems`).

A report is measured against the plan that was approved when its period ended (the version
decided last on or before `period_end`); a report whose period ended before any approval uses
the approved plan. Once a report holds values, it stays with the plan those values belong to,
so a later revision never hides what the team wrote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.accounts.models import User
from partnernet.audit.services import audit_record
from partnernet.lib.text import clean_input

from ..expenditure_import import parse_decimal
from ..models import IndicatorValue, PlanIndicator, PlanState, Report, ResultsPlan
from ..progress import STATUS_LABELS, indicator_status

MAX_INTEGER_DIGITS = 12
MAX_DECIMALS = 2


class StaleReport(ValidationError):
    """The report's results changed since the page was read: nothing saved."""


@dataclass(frozen=True)
class IndicatorRow:
    indicator: PlanIndicator
    statement: str
    unit: str
    baseline: Decimal
    target: Decimal | None
    target_year: int
    actual: Decimal | None
    comment: str
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class IndicatorEntry:
    """What the form sent for one indicator: the value as typed and the comment."""

    indicator_id: int
    value: str
    comment: str = ""


def plan_for_report(report: Report) -> ResultsPlan | None:
    """The plan version the report is measured against (see the module's rule); 2 queries."""
    used = (
        IndicatorValue.objects.filter(report=report)
        .values_list("indicator__statement__plan_id", flat=True)
        .first()
    )
    plans = ResultsPlan.objects.filter(partnership_id=report.partnership_id)
    if used is not None:
        return plans.filter(pk=used).first()
    end = dt.datetime.combine(report.period_end, dt.time.max, tzinfo=dt.UTC)
    as_of = (
        plans.filter(state__in=(PlanState.APPROVED, PlanState.SUPERSEDED), decided_at__lte=end)
        .order_by("-decided_at", "-pk")
        .first()
    )
    return as_of or plans.filter(state=PlanState.APPROVED).first()


def share_elapsed(indicator: PlanIndicator, report: Report, year: int) -> float:
    """The share of the way from the baseline to the end of the target's year that has passed
    when the report's period ends (1.0 at the year's end)."""
    start = indicator.baseline_date or dt.date(year, 1, 1)
    end = dt.date(year, 12, 31)
    if report.period_end >= end or end <= start:
        return 1.0
    return max(0.0, (report.period_end - start).days / (end - start).days)


def indicator_rows(report: Report) -> list[IndicatorRow]:
    """One row per indicator of the report's plan: unit, baseline, the target of the year the
    period ends in, the actual and comment, and the status. 5 queries whatever the count."""
    plan = plan_for_report(report)
    if plan is None:
        return []
    indicators = list(
        PlanIndicator.objects.filter(statement__plan=plan)
        .select_related("statement")
        .prefetch_related("targets")
        .order_by("statement__order", "statement__pk", "order", "pk")
    )
    values = {v.indicator_id: v for v in IndicatorValue.objects.filter(report=report)}
    year = report.period_end.year
    rows = []
    for indicator in indicators:
        target = next((t.value for t in indicator.targets.all() if t.year == year), None)
        value = values.get(indicator.pk)
        actual = value.value if value else None
        rows.append(
            IndicatorRow(
                indicator=indicator,
                statement=indicator.statement.text,
                unit=indicator.unit,
                baseline=indicator.baseline_value,
                target=target,
                target_year=year,
                actual=actual,
                comment=value.comment if value else "",
                status=indicator_status(
                    baseline=indicator.baseline_value,
                    target=target,
                    actual=actual,
                    share_elapsed=share_elapsed(indicator, report, year),
                ),
            )
        )
    return rows


def parse_value(text: str) -> Decimal | None:
    """A value as a person types it ("1 234,5", "-3", "12.50"); empty is none. Refused: not a
    number, more than 12 digits before the decimal sign or more than 2 after it."""
    if not (text or "").strip():
        return None
    value = parse_decimal(text)  # the one reading of a typed number (amounts read alike)
    if value is None:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": text}, code="nan")
    sign, digits, exponent = value.as_tuple()
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if not value.is_zero() and value.adjusted() + 1 > MAX_INTEGER_DIGITS:  # `1e20`: 21 places
        raise ValidationError(_("The value has more than 12 digits."), code="digits")
    if decimals > MAX_DECIMALS:
        raise ValidationError(_("Give the value with at most two decimals."), code="decimals")
    return value


@transaction.atomic
def indicator_values_save(
    *, actor: User | None, report: Report, version: int, entries: list[IndicatorEntry]
) -> Report:
    """Save the values and comments the team gives its indicators for the report's period.
    Refused as a whole (nothing saved): a report that is not being written, a stale version,
    an indicator that is not of the report's plan, a value that is not a number or too long."""
    row = Report.objects.select_for_update().get(pk=report.pk)
    if not row.is_writable:
        raise ValidationError(
            _("The report is “%(state)s”: its values cannot be changed now.")
            % {"state": row.get_state_display()},
            code="state",
        )
    if row.version != version:
        raise StaleReport(
            _(
                "Someone else changed this report's results while you were writing. Nothing "
                "was saved: your values are still in the form. Check them, then save again."
            ),
            code="stale",
        )
    plan = plan_for_report(row)
    allowed = set(
        PlanIndicator.objects.filter(statement__plan=plan).values_list("pk", flat=True)
        if plan is not None
        else []
    )
    errors: dict[str, list[str]] = {}
    parsed: list[tuple[int, Decimal | None, str]] = []
    for entry in entries:
        if entry.indicator_id not in allowed:
            raise ValidationError(
                _("An indicator that is not part of this report's results plan was sent."),
                code="foreign",
            )
        try:
            value = parse_value(entry.value)
        except ValidationError as error:
            errors[f"value-{entry.indicator_id}"] = list(error.messages)
            continue
        comment = entry.comment or ""
        # NUL and other control characters are dropped (the database refuses NUL); nothing cut.
        parsed.append((entry.indicator_id, value, clean_input(comment, max_length=len(comment))))
    if errors:
        raise ValidationError(errors)
    existing = {v.indicator_id: v for v in IndicatorValue.objects.filter(report=row)}
    changed = {}
    for indicator_id, value, comment in parsed:
        before = existing.get(indicator_id)
        if before is not None and before.value == value and before.comment == comment:
            continue
        IndicatorValue.objects.update_or_create(
            report=row,
            indicator_id=indicator_id,
            defaults={"value": value, "comment": comment, "updated_by": actor},
        )
        changed[str(indicator_id)] = None if value is None else str(value)
    if changed:
        row.version += 1
        row.save(update_fields=["version"])
        audit_record(
            actor=actor,
            action="indicator_values_save",
            obj=row,
            after={"values": changed, "at": timezone.now().isoformat()},
        )
    return row


def indicator_values_problems(report: Report) -> list[str]:
    """What keeps the report from being submitted on its results: every indicator of its plan
    needs a value, or a comment saying why there is none."""
    return [
        _("“%(indicator)s”: give the value reached, or say in the comment why there is none.")
        % {"indicator": row.indicator.name}
        for row in indicator_rows(report)
        if row.actual is None and not row.comment
    ]
