"""Writes of a partnership's results plan (its logical framework): the first plan taken from the
granted application, drafts (a revision of the approved plan, the plan of the next phase), the
team's edits with version checks, the proposal, and the officer's acceptance or decline.

Every function is keyword-only, runs in one transaction, locks the plan whose state or content
changes (`select_for_update`), audits the change and tells the other side after the commit
(`notify`). Who may call them is checked by the views' fetch; what only the service knows (a
stale version, a plan that is not a draft, a statement of another plan) is refused with a
translated `ValidationError`, nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partnernet.accounts.models import Role, User
from partnernet.accounts.notify import Message, notify
from partnernet.audit.services import audit_record, transition_audited
from partnernet.grants.models import COMMITTED_STATES, Application, ResultStatement
from partnernet.lib import languages
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.selectors import coordinators_of

from ..models import (
    OPEN_PLAN_STATES,
    PlanIndicator,
    PlanState,
    PlanStatement,
    PlanTarget,
    ResultLevel,
    ResultsPlan,
)

# Which level a statement's parent has (the objective has none).
PARENT_LEVEL = {
    ResultLevel.OBJECTIVE: None,
    ResultLevel.OUTCOME: ResultLevel.OBJECTIVE,
    ResultLevel.OUTPUT: ResultLevel.OUTCOME,
}
# The largest value an indicator holds (14 digits, 2 of them decimals).
MAX_VALUE = Decimal("999999999999.99")


class StalePlan(ValidationError):
    """The plan changed since the form was read: nothing saved, the input stays on the page."""


@dataclass(frozen=True)
class IndicatorFacts:
    """What the team writes about an indicator: targets are (year, value) pairs."""

    name: str
    unit: str = ""
    baseline_value: Decimal = Decimal(0)
    baseline_date: date | None = None
    targets: tuple[tuple[int, Decimal], ...] = field(default_factory=tuple)


# Helpers ----------------------------------------------------------------------------------------
def _path(partnership: Partnership) -> str:
    return reverse("results:plan", kwargs={"slug": partnership.slug})


def _officers() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            roles__role=Role.PROGRAMME_OFFICER,
            roles__organisation__kind="funder",
        ).distinct()
    )


def _team_coordinators(partnership: Partnership, actor: User | None) -> list[User]:
    people = {
        u.pk: u for side in ("swedish", "partner") for u in coordinators_of(partnership, side)
    }
    return [u for pk, u in people.items() if actor is None or pk != actor.pk]


def _tell(people: list[User], plan: ResultsPlan, subject: str, body: str, **params: str) -> None:
    notify(
        people,
        Message(
            subject=subject,
            body=body,
            params={"partnership": plan.partnership.title, **params},
            link=_path(plan.partnership),
        ),
    )


def _locked(plan: ResultsPlan, version: int | None = None) -> ResultsPlan:
    """The plan's row, locked; refused when it changed since `version` was read."""
    row = ResultsPlan.objects.select_for_update().select_related("partnership").get(pk=plan.pk)
    if version is not None and row.version != version:
        raise StalePlan(
            _(
                "Someone else changed this plan while you were editing it. Nothing was saved: "
                "your changes are still in the form. Check the plan as it is now, then save "
                "again."
            ),
            code="stale",
        )
    return row


def _editable(plan: ResultsPlan, version: int | None) -> ResultsPlan:
    row = _locked(plan, version)
    if row.state != PlanState.DRAFT:
        raise ValidationError(
            _(
                "This version of the plan is “%(state)s”: only a draft can be changed. Start a "
                "revision of the approved plan to change it."
            )
            % {"state": row.get_state_display()},
            code="state",
        )
    return row


def _bump(row: ResultsPlan) -> None:
    row.version += 1
    row.save(update_fields=["version"])


def _refuse_open(partnership: Partnership) -> None:
    open_plan = ResultsPlan.objects.filter(
        partnership=partnership, state__in=OPEN_PLAN_STATES
    ).first()
    if open_plan is not None:
        raise ValidationError(
            _(
                "The plan already has a version being prepared (“%(state)s”). Continue that "
                "one: a partnership has one draft or proposal at a time."
            )
            % {"state": open_plan.get_state_display()},
            code="open",
        )


def _copy_content(source: ResultsPlan, target: ResultsPlan) -> None:
    """Copy every statement, indicator and target of `source` into `target`, keeping lineages
    (the same statement and indicator in every version)."""
    statements = list(source.statements.order_by("pk"))
    copies: dict[int, PlanStatement] = {}
    # Parents before children: objectives, outcomes, outputs.
    for level in (ResultLevel.OBJECTIVE, ResultLevel.OUTCOME, ResultLevel.OUTPUT):
        for statement in statements:
            if statement.level != level:
                continue
            copies[statement.pk] = PlanStatement.objects.create(
                plan=target,
                level=statement.level,
                parent=copies.get(statement.parent_id) if statement.parent_id else None,
                text=statement.text,
                language=statement.language,
                order=statement.order,
                lineage=statement.lineage,
            )
    indicators = list(
        PlanIndicator.objects.filter(statement__plan=source).prefetch_related("targets")
    )
    for indicator in indicators:
        if indicator.statement_id not in copies:
            continue
        copy = PlanIndicator.objects.create(
            statement=copies[indicator.statement_id],
            name=indicator.name,
            unit=indicator.unit,
            baseline_value=indicator.baseline_value,
            baseline_date=indicator.baseline_date,
            order=indicator.order,
            lineage=indicator.lineage,
        )
        PlanTarget.objects.bulk_create(
            PlanTarget(indicator=copy, year=t.year, value=t.value) for t in indicator.targets.all()
        )


def _new_draft(
    *, source: ResultsPlan, component: str, actor: User | None, replaces: ResultsPlan | None
) -> ResultsPlan:
    _refuse_open(source.partnership)
    try:
        with transaction.atomic():
            draft = ResultsPlan.objects.create(
                partnership=source.partnership,
                application=source.application,
                component=component,
                replaces=replaces,
                created_by=actor,
            )
    except IntegrityError:  # another draft was started at the same moment
        _refuse_open(source.partnership)
        raise
    _copy_content(source, draft)
    return draft


# The first plan ---------------------------------------------------------------------------------
def granted_application(partnership: Partnership) -> Application | None:
    """The partnership's granted application (the newest committed one)."""
    return (
        Application.objects.filter(partnership=partnership, state__in=COMMITTED_STATES)
        .select_related("call")
        .order_by("-pk")
        .first()
    )


def _target_year(application: Application, year: int | None) -> int:
    if year:
        return year
    agreement = getattr(application, "agreement", None)
    if agreement is not None and agreement.ends_on:
        return int(agreement.ends_on.year)
    return date.today().year


@transaction.atomic
def results_plan_from_application(
    *, application: Application, actor: User | None = None
) -> ResultsPlan | None:
    """The partnership's first plan, taken from the results the granted application wrote
    (its objective, outcomes, outputs and their indicators) and approved, since the grant
    approved them. Idempotent: a partnership that already has a plan keeps it (returned).
    None for an application without a partnership or without any results."""
    partnership = application.partnership
    if partnership is None:
        return None
    # Lock the partnership: two first visits at once create one plan.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    existing = (
        ResultsPlan.objects.filter(partnership=partnership)
        .order_by("-created_at", "-pk")
        .select_related("partnership")
    )
    found = existing.filter(state=PlanState.APPROVED).first() or existing.first()
    if found is not None:
        return found
    results = list(
        ResultStatement.objects.filter(application=application)
        .prefetch_related("indicators")
        .order_by("pk")
    )
    if not results:
        return None
    plan = ResultsPlan.objects.create(
        partnership=partnership,
        application=application,
        component=application.call.component,
        created_by=actor,
        change_note=_("Taken from the granted application."),
    )
    language = languages.DEFAULT
    objective = outcome = None
    for order, result in enumerate(results):
        parent = None
        if result.level == ResultLevel.OUTCOME:
            parent = objective
        elif result.level == ResultLevel.OUTPUT:
            parent = outcome or objective
        statement = PlanStatement.objects.create(
            plan=plan,
            level=result.level,
            parent=parent,
            text=result.text,
            language=language,
            order=order,
        )
        if result.level == ResultLevel.OBJECTIVE and objective is None:
            objective = statement
        elif result.level == ResultLevel.OUTCOME:
            outcome = statement
        for position, source in enumerate(result.indicators.all()):
            indicator = PlanIndicator.objects.create(
                statement=statement,
                name=source.name,
                unit=source.unit,
                baseline_value=source.baseline,
                baseline_date=date(source.baseline_year, 1, 1) if source.baseline_year else None,
                order=position,
            )
            PlanTarget.objects.create(
                indicator=indicator,
                year=_target_year(application, source.target_year),
                value=source.target,
            )
    transition_audited(obj=plan, action="accept", field="state", actor=actor)
    audit_record(
        actor=actor,
        action="create_from_application",
        obj=plan,
        after={"application": application.pk, "statements": len(results)},
    )
    return plan


def results_plan_ensure(*, partnership: Partnership) -> ResultsPlan | None:
    """The partnership's plan, taken from its granted application when it has none yet."""
    application = granted_application(partnership)
    if application is None:
        return None
    return results_plan_from_application(application=application)


def results_plans_ensure_all() -> int:
    """A plan for every partnership with a granted application (the demo calls it); returns
    how many partnerships have a plan afterwards."""
    count = 0
    for partnership in Partnership.objects.filter(
        applications__state__in=COMMITTED_STATES
    ).distinct():
        if results_plan_ensure(partnership=partnership) is not None:
            count += 1
    return count


@transaction.atomic
def results_plan_start(
    *, partnership: Partnership, component: str, actor: User | None
) -> ResultsPlan:
    """An empty first draft, for a partnership whose application wrote no results: it needs
    the officer's acceptance like any change."""
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    if ResultsPlan.objects.filter(partnership=partnership).exists():
        raise ValidationError(
            _("The partnership already has a results plan: revise it instead."), code="exists"
        )
    plan = ResultsPlan.objects.create(
        partnership=partnership, component=component, created_by=actor
    )
    audit_record(actor=actor, action="create", obj=plan, after={"component": component})
    return plan


# New drafts -------------------------------------------------------------------------------------
@transaction.atomic
def results_plan_revise(*, plan: ResultsPlan, actor: User | None) -> ResultsPlan:
    """A draft copied from the approved plan (or from a declined proposal, to try again), to
    change and propose; the approved plan stays in force until the officer accepts."""
    row = _locked(plan)
    if row.state not in (PlanState.APPROVED, PlanState.DECLINED):
        raise ValidationError(
            _("Only the approved plan or a declined proposal can be revised."), code="state"
        )
    replaces = row if row.state == PlanState.APPROVED else row.replaces
    draft = _new_draft(source=row, component=row.component, actor=actor, replaces=replaces)
    audit_record(actor=actor, action="revise", obj=draft, after={"from": row.pk})
    return draft


@transaction.atomic
def results_plan_carry(
    *, partnership: Partnership, component: str, actor: User | None
) -> ResultsPlan:
    """The plan of the next phase: a draft of `component` copied from the last approved plan
    (lineages kept, so indicators are followed across phases); the earlier phase's plan is kept
    as history when the new one is accepted."""
    approved = (
        ResultsPlan.objects.select_for_update()
        .select_related("partnership")
        .filter(partnership=partnership, state=PlanState.APPROVED)
        .first()
    )
    if approved is None:
        raise ValidationError(
            _("There is no approved plan to carry to the next phase."), code="none"
        )
    if approved.component == component:
        raise ValidationError(
            _("The approved plan is already the plan of this phase: revise it instead."),
            code="same",
        )
    draft = _new_draft(source=approved, component=component, actor=actor, replaces=approved)
    audit_record(
        actor=actor,
        action="carry",
        obj=draft,
        after={"from": approved.pk, "component": component},
    )
    return draft


# Editing a draft --------------------------------------------------------------------------------
def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the statement.")}, code="required")
    return text


def _parent(plan: ResultsPlan, level: str, parent_id: int | None) -> PlanStatement | None:
    want = PARENT_LEVEL.get(ResultLevel(level)) if level in ResultLevel.values else None
    if level not in ResultLevel.values:
        raise ValidationError({"level": _("Choose a level.")}, code="level")
    if want is None:
        if plan.statements.filter(level=ResultLevel.OBJECTIVE).exists():
            raise ValidationError(
                {"level": _("The plan has its objective already: add outcomes and outputs.")},
                code="objective",
            )
        return None
    parent = plan.statements.filter(pk=parent_id, level=want).first() if parent_id else None
    if parent is None:
        raise ValidationError(
            {
                "parent": _(
                    "An outcome belongs to the objective, an output to an outcome: "
                    "choose one of this plan's."
                )
            },
            code="parent",
        )
    return parent


@transaction.atomic
def plan_statement_add(
    *,
    actor: User | None,
    plan: ResultsPlan,
    version: int,
    level: str,
    text: str,
    parent_id: int | None = None,
    language: str = "sv",
) -> PlanStatement:
    row = _editable(plan, version)
    parent = _parent(row, level, parent_id)
    statement = PlanStatement.objects.create(
        plan=row,
        level=level,
        parent=parent,
        text=_clean_text(text),
        language=language if language in languages.LANGUAGES else "sv",
        order=row.statements.count(),
    )
    _bump(row)
    audit_record(
        actor=actor,
        action="statement_add",
        obj=row,
        after={"statement": statement.pk, "level": level, "lineage": str(statement.lineage)},
    )
    return statement


def _statement_of(row: ResultsPlan, statement_pk: int) -> PlanStatement:
    statement = row.statements.filter(pk=statement_pk).first()
    if statement is None:
        raise ValidationError(_("That statement is not part of this plan."), code="foreign")
    return statement


@transaction.atomic
def plan_statement_update(
    *, actor: User | None, plan: ResultsPlan, statement_pk: int, version: int, text: str
) -> PlanStatement:
    row = _editable(plan, version)
    statement = _statement_of(row, statement_pk)
    before = {"text": statement.text}
    statement.text = _clean_text(text)
    statement.save(update_fields=["text"])
    _bump(row)
    audit_record(
        actor=actor,
        action="statement_update",
        obj=row,
        before={"statement": statement.pk, **before},
        after={"statement": statement.pk, "text": statement.text},
    )
    return statement


def _refuse_used(error: ProtectedError) -> ValidationError:
    return ValidationError(
        _("An indicator of this part has values in a report already: it cannot be removed."),
        code="used",
    )


@transaction.atomic
def plan_statement_remove(
    *, actor: User | None, plan: ResultsPlan, statement_pk: int, version: int
) -> None:
    """Remove a statement with what hangs under it (its outcomes or outputs, indicators)."""
    row = _editable(plan, version)
    statement = _statement_of(row, statement_pk)
    before = {"statement": statement.pk, "level": statement.level, "text": statement.text}
    try:
        with transaction.atomic():
            statement.delete()
    except ProtectedError as error:
        raise _refuse_used(error) from error
    _bump(row)
    audit_record(actor=actor, action="statement_remove", obj=row, before=before)


def _clean_indicator(facts: IndicatorFacts) -> IndicatorFacts:
    errors: dict[str, list[str]] = {}
    if not facts.name.strip():
        errors["name"] = [_("Name the indicator.")]
    if abs(facts.baseline_value) > MAX_VALUE:
        errors["baseline_value"] = [_("The value has more than 12 digits.")]
    years = [year for year, _value in facts.targets]
    if len(years) != len(set(years)):
        errors["targets"] = [_("Give one target per year.")]
    elif any(abs(value) > MAX_VALUE for _year, value in facts.targets):
        errors["targets"] = [_("The value has more than 12 digits.")]
    elif any(not 1900 <= year <= 2200 for year in years):
        errors["targets"] = [_("Give each target's year with four digits.")]
    if errors:
        raise ValidationError(errors)
    return facts


def _set_targets(indicator: PlanIndicator, targets: tuple[tuple[int, Decimal], ...]) -> None:
    indicator.targets.all().delete()
    PlanTarget.objects.bulk_create(
        PlanTarget(indicator=indicator, year=year, value=value) for year, value in targets
    )


def _indicator_snapshot(indicator: PlanIndicator, targets: tuple = ()) -> dict:
    return {
        "indicator": indicator.pk,
        "name": indicator.name,
        "unit": indicator.unit,
        "baseline": str(indicator.baseline_value),
        "baseline_date": indicator.baseline_date.isoformat() if indicator.baseline_date else None,
        "targets": {str(year): str(value) for year, value in targets},
    }


@transaction.atomic
def plan_indicator_add(
    *,
    actor: User | None,
    plan: ResultsPlan,
    statement_pk: int,
    version: int,
    facts: IndicatorFacts,
) -> PlanIndicator:
    row = _editable(plan, version)
    statement = _statement_of(row, statement_pk)
    facts = _clean_indicator(facts)
    indicator = PlanIndicator.objects.create(
        statement=statement,
        name=facts.name.strip(),
        unit=facts.unit.strip(),
        baseline_value=facts.baseline_value,
        baseline_date=facts.baseline_date,
        order=statement.indicators.count(),
    )
    _set_targets(indicator, facts.targets)
    _bump(row)
    audit_record(
        actor=actor,
        action="indicator_add",
        obj=row,
        after=_indicator_snapshot(indicator, facts.targets),
    )
    return indicator


def _indicator_of(row: ResultsPlan, indicator_pk: int) -> PlanIndicator:
    indicator = (
        PlanIndicator.objects.filter(pk=indicator_pk, statement__plan=row)
        .prefetch_related("targets")
        .first()
    )
    if indicator is None:
        raise ValidationError(_("That indicator is not part of this plan."), code="foreign")
    return indicator


@transaction.atomic
def plan_indicator_update(
    *,
    actor: User | None,
    plan: ResultsPlan,
    indicator_pk: int,
    version: int,
    facts: IndicatorFacts,
) -> PlanIndicator:
    row = _editable(plan, version)
    indicator = _indicator_of(row, indicator_pk)
    facts = _clean_indicator(facts)
    before = _indicator_snapshot(
        indicator, tuple((t.year, t.value) for t in indicator.targets.all())
    )
    indicator.name = facts.name.strip()
    indicator.unit = facts.unit.strip()
    indicator.baseline_value = facts.baseline_value
    indicator.baseline_date = facts.baseline_date
    indicator.save()
    _set_targets(indicator, facts.targets)
    _bump(row)
    audit_record(
        actor=actor,
        action="indicator_update",
        obj=row,
        before=before,
        after=_indicator_snapshot(indicator, facts.targets),
    )
    return indicator


@transaction.atomic
def plan_indicator_remove(
    *, actor: User | None, plan: ResultsPlan, indicator_pk: int, version: int
) -> None:
    row = _editable(plan, version)
    indicator = _indicator_of(row, indicator_pk)
    before = _indicator_snapshot(indicator)
    try:
        with transaction.atomic():
            indicator.delete()
    except ProtectedError as error:
        raise _refuse_used(error) from error
    _bump(row)
    audit_record(actor=actor, action="indicator_remove", obj=row, before=before)


# Proposal and decision --------------------------------------------------------------------------
@transaction.atomic
def results_plan_propose(
    *, actor: User | None, plan: ResultsPlan, version: int, change_note: str
) -> ResultsPlan:
    """The team proposes the draft to the officer, saying what changed and why."""
    row = _editable(plan, version)
    note = (change_note or "").strip()
    if not note:
        raise ValidationError(
            {"change_note": _("Say what changed and why, for the officer.")}, code="required"
        )
    if not row.statements.filter(level=ResultLevel.OBJECTIVE).exists():
        raise ValidationError(_("A plan needs its objective before it is proposed."), code="empty")
    row.change_note = note
    row.version += 1
    transition_audited(obj=row, action="propose", field="state", actor=actor, reason=note)
    _tell(
        _officers() + _team_coordinators(row.partnership, actor),
        row,
        gettext_noop("A results plan waits for acceptance"),
        gettext_noop(
            "%(partnership)s proposes a changed results plan. What changed: %(note)s. The "
            "plan: %(link)s"
        ),
        note=note,
    )
    return row


@transaction.atomic
def results_plan_reopen(*, actor: User | None, plan: ResultsPlan) -> ResultsPlan:
    """The team takes its proposal back to change it further (before the officer answers)."""
    row = _locked(plan)
    if row.state != PlanState.PROPOSED:
        raise ValidationError(
            _("Only a proposal the officer has not answered yet can be taken back."),
            code="state",
        )
    row.version += 1
    transition_audited(obj=row, action="reopen", field="state", actor=actor)
    _tell(
        _officers(),
        row,
        gettext_noop("A results plan proposal was taken back"),
        gettext_noop("%(partnership)s took back its proposed results plan to change it: %(link)s"),
    )
    return row


def _refuse_decided(row: ResultsPlan) -> None:
    if row.state != PlanState.PROPOSED:
        raise ValidationError(
            _("This version is “%(state)s”: it was decided already, or is not proposed.")
            % {"state": row.get_state_display()},
            code="decided",
        )


@transaction.atomic
def results_plan_accept(*, actor: User | None, plan: ResultsPlan, note: str = "") -> ResultsPlan:
    """The officer accepts the proposal: it becomes the approved plan and the one it replaces
    is kept as superseded, in one transaction. Every plan of the partnership is locked first,
    so two acceptances at once are one (the second finds it decided)."""
    list(
        ResultsPlan.objects.select_for_update()
        .filter(partnership_id=plan.partnership_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    row = _locked(plan)
    _refuse_decided(row)
    current = ResultsPlan.objects.filter(
        partnership_id=row.partnership_id, state=PlanState.APPROVED
    ).first()
    if current is not None:
        transition_audited(obj=current, action="supersede", field="state", actor=actor)
    row.decided_by = actor
    row.decision_note = (note or "").strip()
    row.version += 1
    transition_audited(
        obj=row, action="accept", field="state", actor=actor, reason=row.decision_note
    )
    _tell(
        _team_coordinators(row.partnership, actor),
        row,
        gettext_noop("The results plan was accepted"),
        gettext_noop(
            "The programme officer accepted the changed results plan of %(partnership)s. It is "
            "the plan your reports are measured against now: %(link)s"
        ),
    )
    return row


@transaction.atomic
def results_plan_decline(*, actor: User | None, plan: ResultsPlan, note: str) -> ResultsPlan:
    """The officer declines the proposal with a note; the approved plan stays in force and
    the team may revise the declined proposal to try again."""
    row = _locked(plan)
    _refuse_decided(row)
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": _("Tell the team why the plan is not accepted.")}, code="required"
        )
    row.decided_by = actor
    row.decision_note = note
    row.version += 1
    transition_audited(obj=row, action="decline", field="state", actor=actor, reason=note)
    _tell(
        _team_coordinators(row.partnership, actor),
        row,
        gettext_noop("The results plan was not accepted"),
        gettext_noop(
            "The programme officer did not accept the changed results plan of "
            "%(partnership)s: %(note)s. The plan: %(link)s"
        ),
        note=note,
    )
    return row
