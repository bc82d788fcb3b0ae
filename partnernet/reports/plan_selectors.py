"""Reads of a partnership's results plan: the one fetch of a plan version for a person
(`plan_for_user`), the plan's tree, its history and what a draft changes against the approved
version. Each read costs a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from partnernet.accounts.models import User
from partnernet.accounts.permissions import AccessRefused, Perm, authorize, partnership_target
from partnernet.partnerships.models import Partnership

from .models import (
    OPEN_PLAN_STATES,
    PlanIndicator,
    PlanState,
    PlanStatement,
    PlanTarget,
    ResultLevel,
    ResultsPlan,
)
from .selectors import reports_partnership_for_user


def plan_for_user(*, user: User, slug: str, pk: int, perm: Perm = Perm.REPORT_VIEW) -> ResultsPlan:
    """One version of the plan of the partnership at `slug`; another partnership's plan, or
    one that does not exist, is 404 whoever asks."""
    plan = (
        ResultsPlan.objects.select_related(
            "partnership__swedish_partner", "partnership__partner", "created_by", "decided_by"
        )
        .filter(pk=pk, partnership__slug=slug)
        .first()
    )
    if plan is None:
        reports_partnership_for_user(user=user, slug=slug)
        raise AccessRefused(hidden=True, perm=Perm.REPORT_VIEW)
    authorize(user, partnership_target(plan.partnership), see=Perm.REPORT_VIEW, perm=perm)
    return plan


def approved_plan(partnership: Partnership) -> ResultsPlan | None:
    return ResultsPlan.objects.filter(partnership=partnership, state=PlanState.APPROVED).first()


def open_plan(partnership: Partnership) -> ResultsPlan | None:
    return ResultsPlan.objects.filter(partnership=partnership, state__in=OPEN_PLAN_STATES).first()


def plan_history(partnership: Partnership) -> QuerySet[ResultsPlan]:
    """Every version, newest first, with who wrote and who decided it."""
    return (
        ResultsPlan.objects.filter(partnership=partnership)
        .select_related("created_by", "decided_by")
        .order_by("-created_at", "-pk")
    )


@dataclass
class Node:
    """A statement with its indicators (targets prefetched) and the statements under it."""

    statement: PlanStatement
    indicators: list[PlanIndicator] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)


def plan_tree(plan: ResultsPlan) -> list[Node]:
    """The plan as a tree: objectives, their outcomes, their outputs (3 queries)."""
    statements = list(
        PlanStatement.objects.filter(plan=plan).prefetch_related(
            Prefetch(
                "indicators",
                queryset=PlanIndicator.objects.prefetch_related(
                    Prefetch("targets", queryset=PlanTarget.objects.order_by("year"))
                ),
            )
        )
    )
    nodes = {s.pk: Node(s, list(s.indicators.all())) for s in statements}
    roots: list[Node] = []
    for statement in statements:
        node = nodes[statement.pk]
        parent = nodes.get(statement.parent_id) if statement.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


def flatten(tree: list[Node], depth: int = 0) -> list[tuple[int, Node]]:
    rows: list[tuple[int, Node]] = []
    for node in tree:
        rows.append((depth, node))
        rows.extend(flatten(node.children, depth + 1))
    return rows


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed", "changed"
    what: str  # the level or "indicator"
    text: str
    detail: str = ""


def _targets(indicator: PlanIndicator) -> dict[int, Decimal]:
    return {t.year: t.value for t in indicator.targets.all()}


def plan_changes(
    draft: ResultsPlan,
    approved: ResultsPlan | None,
    *,
    new: list[tuple[int, Node]] | None = None,
    old: list[tuple[int, Node]] | None = None,
) -> list[Change]:
    """What `draft` changes against `approved`, matched by lineage: statements and indicators
    added, removed or changed (text, unit, baseline, targets). `new` and `old` are the
    flattened trees when the caller has read them already."""
    if new is None:
        new = flatten(plan_tree(draft))
    if old is None:
        old = flatten(plan_tree(approved)) if approved is not None else []
    old_statements = {n.statement.lineage: n for _d, n in old}
    new_statements = {n.statement.lineage: n for _d, n in new}
    old_indicators = {i.lineage: i for _d, n in old for i in n.indicators}
    new_indicators = {i.lineage: i for _d, n in new for i in n.indicators}
    levels = dict(ResultLevel.choices)
    changes: list[Change] = []
    for _depth, node in new:
        s = node.statement
        was = old_statements.get(s.lineage)
        if was is None:
            changes.append(Change("added", str(levels[s.level]), s.text))
        elif was.statement.text != s.text:
            changes.append(
                Change(
                    "changed",
                    str(levels[s.level]),
                    s.text,
                    _("was: %(text)s") % {"text": was.statement.text},
                )
            )
    for _depth, node in old:
        if node.statement.lineage not in new_statements:
            s = node.statement
            changes.append(Change("removed", str(levels[s.level]), s.text))
    for lineage, indicator in new_indicators.items():
        before = old_indicators.get(lineage)
        if before is None:
            changes.append(Change("added", _("indicator"), indicator.name))
            continue
        details = []
        if before.name != indicator.name:
            details.append(_("name was “%(name)s”") % {"name": before.name})
        if before.unit != indicator.unit:
            details.append(_("unit was “%(unit)s”") % {"unit": before.unit})
        if before.baseline_value != indicator.baseline_value:
            details.append(_("baseline was %(value)s") % {"value": before.baseline_value})
        if _targets(before) != _targets(indicator):
            old_targets = ", ".join(f"{y}: {v}" for y, v in sorted(_targets(before).items()))
            details.append(_("targets were %(targets)s") % {"targets": old_targets or "—"})
        if details:
            changes.append(Change("changed", _("indicator"), indicator.name, "; ".join(details)))
    for lineage, indicator in old_indicators.items():
        if lineage not in new_indicators:
            changes.append(Change("removed", _("indicator"), indicator.name))
    return changes
