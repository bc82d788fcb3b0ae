"""The results plan's services: refusals first (stale versions, a plan that is not a draft,
an indicator or statement of another plan, accepting twice), then the lifecycle (first plan
from the application, revise, propose, accept/decline/reopen, carry) and its history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnernet.accounts.models import User
from partnernet.audit.models import AuditEntry
from partnernet.grants.models import Application, ResultStatement
from partnernet.partnerships.models import Partnership
from partnernet.reports.models import (
    IndicatorValue,
    PlanIndicator,
    PlanState,
    Report,
    ResultsPlan,
)
from partnernet.reports.services import indicators as values
from partnernet.reports.services import plans
from partnernet.reports.services.plans import IndicatorFacts, StalePlan
from partnernet.reports.tests.clean import plans_cleared

OWN, OTHER = "falun-kolomyia", "umea-kherson"


@pytest.fixture
def coordinator(db) -> User:
    return User.objects.get(email="falun@demo.example")


@pytest.fixture
def officer(db) -> User:
    return User.objects.get(email="officer@icld.example")


def _add_indicators(partnership: Partnership) -> None:
    """The seed's applications state results without indicators: give each result two, as
    an application does (one with years, one without)."""
    application = plans.granted_application(partnership)
    for n, result in enumerate(ResultStatement.objects.filter(application=application)):
        result.indicators.create(
            name=f"Indicator {n}a",
            unit="%",
            baseline=Decimal(10),
            baseline_year=2024,
            target=Decimal(40),
            target_year=2026,
        )
        result.indicators.create(name=f"Indicator {n}b", baseline=Decimal(50), target=Decimal(20))


def _plan(slug: str) -> ResultsPlan:
    partnership = Partnership.objects.get(slug=slug)
    plans_cleared(partnership)
    _add_indicators(partnership)
    plan = plans.results_plan_ensure(partnership=partnership)
    assert plan is not None
    return plan


@pytest.fixture
def approved(db) -> ResultsPlan:
    return _plan(OWN)


@pytest.fixture
def draft(approved, coordinator) -> ResultsPlan:
    return plans.results_plan_revise(plan=approved, actor=coordinator)


def _report(partnership: Partnership, **kw) -> Report:
    defaults = {
        "kind": "annual",
        "component": "inception",
        "accounting_year": 2026,
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 12, 31),
        "due_on": date(2027, 2, 28),
    }
    return Report.objects.create(partnership=partnership, **(defaults | kw))


# The first plan ---------------------------------------------------------------------------------
def test_the_first_plan_is_the_applications_results_approved_and_audited(approved):
    application = Application.objects.get(pk=approved.application_id)
    results = ResultStatement.objects.filter(application=application)
    assert approved.state == PlanState.APPROVED and approved.decided_at is not None
    assert approved.statements.count() == results.count()
    objective = approved.statements.get(level="objective")
    assert all(s.parent_id == objective.pk for s in approved.statements.filter(level="outcome"))
    indicators = PlanIndicator.objects.filter(statement__plan=approved)
    source = [i for r in results for i in r.indicators.all()]
    assert indicators.count() == len(source) > 0
    assert all(i.targets.count() == 1 for i in indicators)
    assert AuditEntry.objects.filter(
        object_type="reports.resultsplan", object_id=str(approved.pk), action="accept"
    ).exists()


def test_the_first_plan_is_made_once(approved):
    again = plans.results_plan_from_application(application=approved.application)
    assert again.pk == approved.pk
    assert ResultsPlan.objects.filter(partnership=approved.partnership).count() == 1
    assert plans.results_plans_ensure_all() >= 6
    assert ResultsPlan.objects.filter(partnership=approved.partnership).count() == 1


# Refusals ---------------------------------------------------------------------------------------
def test_a_save_based_on_an_older_version_is_refused_and_nothing_changes(draft, coordinator):
    objective = draft.statements.get(level="objective")
    old = draft.version
    plans.plan_statement_update(
        actor=coordinator, plan=draft, statement_pk=objective.pk, version=old, text="New aim"
    )
    with pytest.raises(StalePlan) as refused:
        plans.plan_statement_update(
            actor=coordinator, plan=draft, statement_pk=objective.pk, version=old, text="Other"
        )
    assert refused.value.code == "stale" and refused.value.messages
    objective.refresh_from_db()
    assert objective.text == "New aim"
    with pytest.raises(StalePlan):
        plans.results_plan_propose(actor=coordinator, plan=draft, version=old, change_note="x")


def test_an_approved_plan_is_not_edited_in_place(approved, coordinator):
    objective = approved.statements.get(level="objective")
    with pytest.raises(ValidationError) as refused:
        plans.plan_statement_update(
            actor=coordinator,
            plan=approved,
            statement_pk=objective.pk,
            version=approved.version,
            text="Sneaky",
        )
    assert refused.value.code == "state"


def test_a_statement_or_indicator_of_another_plan_is_refused(draft, coordinator):
    other = _plan(OTHER)
    foreign_statement = other.statements.first()
    foreign_indicator = PlanIndicator.objects.filter(statement__plan=other).first()
    with pytest.raises(ValidationError):
        plans.plan_statement_update(
            actor=coordinator,
            plan=draft,
            statement_pk=foreign_statement.pk,
            version=draft.version,
            text="x",
        )
    with pytest.raises(ValidationError):
        plans.plan_indicator_update(
            actor=coordinator,
            plan=draft,
            indicator_pk=foreign_indicator.pk,
            version=draft.version,
            facts=IndicatorFacts(name="x"),
        )
    with pytest.raises(ValidationError):
        plans.plan_statement_add(
            actor=coordinator,
            plan=draft,
            version=draft.version,
            level="outcome",
            text="An outcome under another plan's objective",
            parent_id=other.statements.get(level="objective").pk,
        )
    assert (
        foreign_statement.text == type(foreign_statement).objects.get(pk=foreign_statement.pk).text
    )


def test_one_draft_at_a_time(draft, approved, coordinator):
    with pytest.raises(ValidationError) as refused:
        plans.results_plan_revise(plan=approved, actor=coordinator)
    assert refused.value.code == "open"


def test_a_proposal_needs_a_change_note(draft, coordinator):
    with pytest.raises(ValidationError):
        plans.results_plan_propose(
            actor=coordinator, plan=draft, version=draft.version, change_note="  "
        )


def test_accepting_twice_is_one_acceptance(draft, approved, coordinator, officer):
    draft = plans.results_plan_propose(
        actor=coordinator, plan=draft, version=draft.version, change_note="Sharper targets"
    )
    plans.results_plan_accept(actor=officer, plan=draft)
    with pytest.raises(ValidationError) as refused:
        plans.results_plan_accept(actor=officer, plan=draft)
    assert refused.value.code == "decided"
    with pytest.raises(ValidationError):
        plans.results_plan_decline(actor=officer, plan=draft, note="too late")
    accepted = AuditEntry.objects.filter(
        object_type="reports.resultsplan", object_id=str(draft.pk), action="accept"
    )
    assert accepted.count() == 1
    assert (
        ResultsPlan.objects.filter(
            partnership=approved.partnership, state=PlanState.APPROVED
        ).count()
        == 1
    )
    approved.refresh_from_db()
    assert approved.state == PlanState.SUPERSEDED


def test_the_database_allows_one_approved_plan(approved):
    second = ResultsPlan.objects.create(partnership=approved.partnership, component="inception")
    second.accept()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_a_declined_proposal_leaves_the_approved_plan_in_force(
    draft, approved, coordinator, officer
):
    draft = plans.results_plan_propose(
        actor=coordinator, plan=draft, version=draft.version, change_note="More outputs"
    )
    with pytest.raises(ValidationError):
        plans.results_plan_decline(actor=officer, plan=draft, note="")
    plans.results_plan_decline(actor=officer, plan=draft, note="Keep the baseline of 2024")
    draft.refresh_from_db()
    approved.refresh_from_db()
    assert draft.state == PlanState.DECLINED and draft.decision_note
    assert approved.state == PlanState.APPROVED
    again = plans.results_plan_revise(plan=draft, actor=coordinator)
    assert again.replaces_id == approved.pk and again.state == PlanState.DRAFT


def test_a_proposal_is_taken_back_and_proposed_again(draft, coordinator, officer):
    draft = plans.results_plan_propose(
        actor=coordinator, plan=draft, version=draft.version, change_note="First try"
    )
    draft = plans.results_plan_reopen(actor=coordinator, plan=draft)
    assert draft.state == PlanState.DRAFT
    with pytest.raises(ValidationError):
        plans.results_plan_accept(actor=officer, plan=draft)
    plans.results_plan_propose(
        actor=coordinator, plan=draft, version=draft.version, change_note="Second try"
    )
    assert plans.results_plan_accept(actor=officer, plan=draft).state == PlanState.APPROVED


# The lifecycle ----------------------------------------------------------------------------------
def test_editing_keeps_lineages_and_history_keeps_every_version(
    draft, approved, coordinator, officer
):
    objective = draft.statements.get(level="objective")
    source_objective = approved.statements.get(level="objective")
    assert objective.lineage == source_objective.lineage
    outcome = plans.plan_statement_add(
        actor=coordinator,
        plan=draft,
        version=draft.version,
        level="outcome",
        text="Residents are heard",
        parent_id=objective.pk,
    )
    draft.refresh_from_db()
    indicator = plans.plan_indicator_add(
        actor=coordinator,
        plan=draft,
        statement_pk=outcome.pk,
        version=draft.version,
        facts=IndicatorFacts(
            name="Hearings a year",
            unit="hearings",
            baseline_value=Decimal(2),
            targets=((2026, Decimal(6)), (2027, Decimal(10))),
        ),
    )
    assert sorted(indicator.targets.values_list("year", flat=True)) == [2026, 2027]
    draft.refresh_from_db()
    plans.results_plan_propose(
        actor=coordinator, plan=draft, version=draft.version, change_note="Hearings added"
    )
    plans.results_plan_accept(actor=officer, plan=draft, note="Good")
    history = ResultsPlan.objects.filter(partnership=approved.partnership)
    assert {p.pk: p.state for p in history} == {
        approved.pk: PlanState.SUPERSEDED,
        draft.pk: PlanState.APPROVED,
    }
    # The superseded version still has its own content.
    assert approved.statements.count() == draft.statements.count() - 1


def test_carrying_to_the_next_phase_keeps_lineages(approved, coordinator, officer):
    with pytest.raises(ValidationError):
        plans.results_plan_carry(
            partnership=approved.partnership, component=approved.component, actor=coordinator
        )
    carried = plans.results_plan_carry(
        partnership=approved.partnership, component="project", actor=coordinator
    )
    assert carried.state == PlanState.DRAFT and carried.replaces_id == approved.pk
    old = set(
        PlanIndicator.objects.filter(statement__plan=approved).values_list("lineage", flat=True)
    )
    new = set(
        PlanIndicator.objects.filter(statement__plan=carried).values_list("lineage", flat=True)
    )
    assert old == new and old


# Indicator values -------------------------------------------------------------------------------
def test_values_refused_for_another_plans_indicator_a_stale_version_or_a_bad_number(
    approved, coordinator
):
    report = _report(approved.partnership)
    foreign = PlanIndicator.objects.filter(statement__plan=_plan(OTHER)).first()
    own = PlanIndicator.objects.filter(statement__plan=approved).first()
    with pytest.raises(ValidationError) as refused:
        values.indicator_values_save(
            actor=coordinator,
            report=report,
            version=report.version,
            entries=[values.IndicatorEntry(foreign.pk, "5")],
        )
    assert refused.value.code == "foreign"
    with pytest.raises(values.StaleReport):
        values.indicator_values_save(
            actor=coordinator,
            report=report,
            version=report.version - 1,
            entries=[values.IndicatorEntry(own.pk, "5")],
        )
    for typed in ("five", "1234567890123", "1.234"):
        with pytest.raises(ValidationError):
            values.indicator_values_save(
                actor=coordinator,
                report=report,
                version=report.version,
                entries=[values.IndicatorEntry(own.pk, typed)],
            )
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_values_are_saved_bumping_the_version_and_problems_listed(approved, coordinator):
    report = _report(approved.partnership)
    rows = values.indicator_rows(report)
    assert rows and all(r.status == "no_data" for r in rows)
    assert len(values.indicator_values_problems(report)) == len(rows)
    first, *rest = rows
    saved = values.indicator_values_save(
        actor=coordinator,
        report=report,
        version=report.version,
        entries=[values.IndicatorEntry(first.indicator.pk, "1 234,5", "Counted in May")]
        + [values.IndicatorEntry(r.indicator.pk, "", "Not measured this year") for r in rest],
    )
    assert saved.version == report.version + 1
    report.refresh_from_db()
    assert values.indicator_values_problems(report) == []
    row = values.indicator_rows(report)[0]
    assert row.actual == Decimal("1234.5") and row.comment == "Counted in May"


def test_values_are_refused_once_the_report_is_submitted(approved, coordinator):
    report = _report(approved.partnership)
    report.submit()
    report.save()
    own = PlanIndicator.objects.filter(statement__plan=approved).first()
    with pytest.raises(ValidationError) as refused:
        values.indicator_values_save(
            actor=coordinator,
            report=report,
            version=report.version,
            entries=[values.IndicatorEntry(own.pk, "5")],
        )
    assert refused.value.code == "state"


def test_indicator_rows_cost_a_constant_number_of_queries(
    approved, coordinator, django_assert_num_queries
):
    report = _report(approved.partnership)
    with django_assert_num_queries(5):
        rows = values.indicator_rows(report)
    assert rows


def test_a_first_draft_without_application_results_needs_the_officers_acceptance(
    coordinator, officer
):
    partnership = Partnership.objects.get(slug="ronneby-ternopil")
    plans_cleared(partnership)
    ResultStatement.objects.filter(application=plans.granted_application(partnership)).delete()
    assert plans.results_plan_ensure(partnership=partnership) is None
    draft = plans.results_plan_start(
        partnership=partnership, component="inception", actor=coordinator
    )
    with pytest.raises(ValidationError):
        plans.results_plan_start(partnership=partnership, component="inception", actor=coordinator)
    with pytest.raises(ValidationError) as refused:
        plans.results_plan_propose(
            actor=coordinator, plan=draft, version=draft.version, change_note="First plan"
        )
    assert refused.value.code == "empty"
    plans.plan_statement_add(
        actor=coordinator, plan=draft, version=draft.version, level="objective", text="Aim"
    )
    draft.refresh_from_db()
    with pytest.raises(ValidationError):  # one objective per plan
        plans.plan_statement_add(
            actor=coordinator, plan=draft, version=draft.version, level="objective", text="Two"
        )
    plans.results_plan_propose(
        actor=coordinator, plan=draft, version=draft.version, change_note="First plan"
    )
    assert plans.results_plan_accept(actor=officer, plan=draft).state == PlanState.APPROVED
