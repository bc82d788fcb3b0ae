"""The funder's rules as pure functions of plain values, so they are tested without a database.

Each returns a list of problems (translated, ready to show); an empty list means the rule holds.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Line:
    category: str
    eligible: bool
    amount: Decimal
    year: int = 1
    explanation: str = ""


def line_problems(line: Line) -> list[str]:
    """Why one budget line cannot be accepted (ineligible category, amount not positive)."""
    problems = []
    if not line.eligible:
        problems.append(
            _("%(category)s is not an eligible cost. %(explanation)s")
            % {"category": line.category, "explanation": line.explanation}
        )
    if line.amount <= 0:
        problems.append(_("An amount must be more than zero."))
    return problems


def budget_problems(lines: list[Line], *, ceiling: Decimal | None, per_year: bool) -> list[str]:
    """Every problem with a whole budget: ineligible lines, and totals above the ceiling
    (per year for components whose ceiling is annual, else for the whole budget)."""
    problems = [problem for line in lines for problem in line_problems(line)]
    if not lines:
        problems.append(_("The budget has no lines."))
    if ceiling is None:
        return problems
    totals = _totals(lines, per_year=per_year)
    for year, total in sorted(totals.items()):
        if total > ceiling:
            problems.append(_over_ceiling(total, ceiling, year if per_year else None))
    return problems


def _totals(lines: list[Line], *, per_year: bool) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = {}
    for line in lines:
        key = line.year if per_year else 0
        totals[key] = totals.get(key, Decimal(0)) + line.amount
    return totals


def _over_ceiling(total: Decimal, ceiling: Decimal, year: int | None) -> str:
    values = {
        "total": f"{total:,.0f}".replace(",", " "),
        "ceiling": f"{ceiling:,.0f}".replace(",", " "),
        "year": year,
    }
    if year is None:
        return _("The budget totals SEK %(total)s, above the ceiling of SEK %(ceiling)s.") % values
    return (
        _("Year %(year)s totals SEK %(total)s, above the yearly ceiling of SEK %(ceiling)s.")
        % values
    )


# For an inception: per side, two politicians (majority and opposition), one or two civil
# servants and one coordinator.
INCEPTION_TEAM = {
    "politician_majority": (1, 1),
    "politician_opposition": (1, 1),
    "civil_servant": (1, 2),
    "coordinator": (1, 1),
}


def team_problems(members: list[tuple[str, str]], *, sides: dict[str, str]) -> list[str]:
    """Problems with an inception team; `members` are (side, role), `sides` names each side."""
    counts = Counter(members)
    problems = []
    for side, side_name in sides.items():
        for role, (low, high) in INCEPTION_TEAM.items():
            count = counts[(side, role)]
            if not low <= count <= high:
                problems.append(_team_message(side_name, role, count, low, high))
    return problems


def _team_message(side_name: str, role: str, count: int, low: int, high: int) -> str:
    names = {
        "politician_majority": _("politician from the majority"),
        "politician_opposition": _("politician from the opposition"),
        "civil_servant": _("civil servants"),
        "coordinator": _("coordinator"),
    }
    values = {"side": side_name, "role": names[role], "count": count, "low": low, "high": high}
    if low == high:
        return _("%(side)s: the team needs exactly %(low)s %(role)s (now %(count)s).") % values
    return _("%(side)s: the team needs %(low)s to %(high)s %(role)s (now %(count)s).") % values


def score_problems(
    scores: dict[str, int | None], keys: list[str], low: int, high: int
) -> list[str]:
    """Every rubric criterion needs a score within the scale."""
    problems = []
    for key in keys:
        value = scores.get(key)
        if value is None or not low <= value <= high:
            problems.append(
                _("Every criterion needs a score from %(low)s to %(high)s.")
                % {"low": low, "high": high}
            )
            break
    return problems


def commitment_fits(*, budget: Decimal | None, committed: Decimal, amount: Decimal) -> bool:
    """Whether granting `amount` keeps the call within its total budget."""
    return budget is not None and committed + amount <= budget
