"""Property: whatever lines people try, no accepted budget holds an ineligible line or exceeds
its ceiling."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from .. import rules, services
from ..models import BudgetLine, Ceiling, Component, CostCategory, State
from . import factories as f

CATEGORIES = ["travel", "accommodation", "venues", "visas", "salaries", "per-diems"]
line_strategy = st.tuples(
    st.sampled_from(CATEGORIES),
    st.integers(min_value=-1000, max_value=200_000),
    st.integers(min_value=1, max_value=3),
)


@pytest.mark.reaches("problems", "no problems")
@given(
    lines=st.lists(
        st.tuples(st.booleans(), st.integers(-10, 300_000), st.integers(1, 3)), max_size=8
    ),
    ceiling=st.integers(1, 500_000),
    per_year=st.booleans(),
)
def test_a_budget_without_problems_is_eligible_and_within_its_ceiling(lines, ceiling, per_year):
    budget = [rules.Line("c", eligible, Decimal(amount), year) for eligible, amount, year in lines]
    if rules.budget_problems(budget, ceiling=Decimal(ceiling), per_year=per_year):
        event("problems")
        return
    event("no problems")
    assert all(line.eligible and line.amount > 0 for line in budget)
    for year in {line.year for line in budget} if per_year else {None}:
        total = sum(line.amount for line in budget if year is None or line.year == year)
        assert total <= ceiling


@pytest.mark.reaches("a line refused", "every line added", "submitted", "submission refused")
@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    attempts=st.lists(line_strategy, min_size=1, max_size=6),
    component=st.sampled_from([Component.INCEPTION, Component.PROJECT]),
)
def test_no_accepted_budget_holds_an_ineligible_line_or_exceeds_its_ceiling(attempts, component):
    call = f.call(component=component)
    application, writer = f.complete_application(call)
    BudgetLine.objects.filter(application=application).delete()
    refused = False
    for slug, amount, year in attempts:
        try:  # refused lines are simply not added
            services.budget_line_add(
                application_id=application.pk,
                actor=writer,
                category=f.category(slug),
                description="x",
                amount=Decimal(amount),
                year=year,
            )
        except ValidationError:
            refused = True
    event("a line refused" if refused else "every line added")
    if component == Component.PROJECT:  # a project also needs its results plan
        outcome = services.result_add(
            application_id=application.pk, actor=writer, level="outcome", text="o"
        )
        services.indicator_add(
            result_id=outcome.pk,
            actor=writer,
            name="i",
            unit="",
            baseline=Decimal(0),
            target=Decimal(1),
        )
    try:
        f.sign_off_both(application, swedish_writer=writer)  # refused while incomplete
        services.application_submit(application_id=application.pk, actor=writer)
    except ValidationError:
        event("submission refused")
        return
    event("submitted")
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    lines = list(application.budget_lines.select_related("category"))
    assert not [line for line in lines if not line.category.eligible]
    ceiling = Ceiling.objects.get(component=component, region=call.region)
    totals: dict[int, Decimal] = {}
    for line in lines:
        key = line.year if ceiling.per_year else 0
        totals[key] = totals.get(key, Decimal(0)) + line.amount
    assert max(totals.values()) <= ceiling.amount
    assert CostCategory.objects.filter(eligible=False).count() == 2
