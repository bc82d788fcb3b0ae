"""The programme's rule for a partnership's team, as pure functions of plain values.

The numbers are the funder's (`grants.rules.INCEPTION_TEAM`, the one owner): per side two
politicians, one of the majority and one of the opposition, one or two civil servants and one
coordinator. The inception phase has the rule; the project phase keeps the same team (the
programme asks a project to continue with the people of its inception), so it has the same
rule; a partnership before its grant (interest) or after it (completed) has none.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from partnernet.grants.rules import INCEPTION_TEAM

from .models import TeamRole

RULED_PHASES = frozenset({"inception", "project"})
SIDES = ("swedish", "partner")


@dataclass(frozen=True)
class Gap:
    """One way a side's team misses the rule: `count` people in `role`, `low` to `high`
    wanted."""

    side: str
    role: str
    count: int
    low: int
    high: int

    @property
    def missing(self) -> int:
        return max(self.low - self.count, 0)

    @property
    def extra(self) -> int:
        return max(self.count - self.high, 0)

    @property
    def sentence(self) -> str:
        return gap_sentence(self)


def team_rule_gaps(members: Iterable[tuple[str, str]], phase: str) -> list[Gap]:
    """Every gap of the team (`members` as (side, team role) pairs) against the rule of the
    partnership's `phase`, side by side in the rule's order; [] when the team meets it (or the
    phase has no rule)."""
    if phase not in RULED_PHASES:
        return []
    counts = Counter(members)
    gaps = []
    for side in SIDES:
        for role, (low, high) in INCEPTION_TEAM.items():
            count = counts[(side, role)]
            if not low <= count <= high:
                gaps.append(Gap(side=side, role=role, count=count, low=low, high=high))
    return gaps


def gap_sentence(gap: Gap) -> str:
    """What is missing (or too many), in a plain sentence in the active language."""
    if gap.missing:
        if gap.role == "politician_majority":
            return _("A politician of the majority is missing.")
        if gap.role == "politician_opposition":
            return _("A politician of the opposition is missing.")
        if gap.role == "coordinator":
            return _("A coordinator is missing.")
        return _("A civil servant is missing (the team needs one or two).")
    if gap.role == "civil_servant":
        return _("The team has %(count)s civil servants; the programme allows two.") % {
            "count": gap.count
        }
    return _(
        "The team has %(count)s people in the role “%(role)s”; the programme asks for one."
    ) % {
        "count": gap.count,
        "role": role_label(gap.role),
    }


def role_label(role: str) -> str:
    return str(TeamRole(role).label) if role in TeamRole.values else role
