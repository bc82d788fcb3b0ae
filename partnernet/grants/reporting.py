"""The reporting schedule of an agreement: the one owner of the due-date rule (pure).

The rule. An agreement's period is cut into accounting years, which are calendar years: an
agreement from 2026-03-01 to 2027-12-31 has the accounting years 2026 (1 March – 31 December)
and 2027 (1 January – 31 December). Each accounting year gets an annual report on its part of
the period, due two months after that part ends (the last day of February for a full year).
The whole period gets a final report, due two months after the agreement ends. An inception
agreement (one short year of preparation) gets the final report only.

"Two months after" is `add_months(day, 2)`, with the day of the month capped at 28 so that it
exists in every month. `grants.services.agreements.agreement_generate` writes these as the
agreement's `ReportingDeadline`s; `reports.services.schedule` derives the partnership's
reports from the same function, so both always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ANNUAL = "annual"
FINAL = "final"
REPORT_MONTHS_AFTER = 2


@dataclass(frozen=True)
class Due:
    kind: str  # "annual" or "final"
    accounting_year: int | None  # the calendar year of an annual report
    period_start: date
    period_end: date
    due_on: date


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def reporting_schedule(*, starts_on: date, ends_on: date, annual: bool = True) -> list[Due]:
    """The reports an agreement from `starts_on` to `ends_on` owes, by due date (annual ones
    before the final one when they fall on the same day)."""
    if ends_on < starts_on:
        raise ValueError("an agreement cannot end before it starts")
    dues: list[Due] = []
    if annual:
        for year in range(starts_on.year, ends_on.year + 1):
            start = max(starts_on, date(year, 1, 1))
            end = min(ends_on, date(year, 12, 31))
            dues.append(Due(ANNUAL, year, start, end, add_months(end, REPORT_MONTHS_AFTER)))
    dues.append(Due(FINAL, None, starts_on, ends_on, add_months(ends_on, REPORT_MONTHS_AFTER)))
    return dues
