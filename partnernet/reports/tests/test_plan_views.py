"""The results plan's and indicator values' pages: who is refused (404 for another
partnership's coordinator everywhere, 403 for a member who proposes or an officer who edits),
stale versions answered 409 with the input kept, refused values 400; the whole flow through
the pages; query counts pinned."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.grants.models import ResultStatement
from partnernet.partnerships.models import Partnership
from partnernet.reports.models import IndicatorValue, PlanIndicator, PlanState, Report, ResultsPlan
from partnernet.reports.services import plans
from partnernet.reports.tests.clean import plans_cleared

OWN = "falun-kolomyia"


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


def client_of(email: str) -> Client:
    return sign_in(Client(), User.objects.get(email=email))


def url(name: str, **kwargs) -> str:
    with translation.override("sv"):
        return reverse(name, kwargs={"slug": OWN, **kwargs})


@pytest.fixture
def own(db) -> Partnership:
    return Partnership.objects.get(slug=OWN)


@pytest.fixture
def approved(own) -> ResultsPlan:
    umea = Partnership.objects.get(slug="umea-kherson")
    plans_cleared(own)
    plans_cleared(umea)
    _add_indicators(own)
    _add_indicators(umea)
    plans.results_plan_ensure(partnership=umea)
    return plans.results_plan_ensure(partnership=own)


@pytest.fixture
def draft(approved) -> ResultsPlan:
    return plans.results_plan_revise(
        plan=approved, actor=User.objects.get(email="falun@demo.example")
    )


@pytest.fixture
def report(own) -> Report:
    return Report.objects.create(
        partnership=own,
        kind="annual",
        component="inception",
        accounting_year=2026,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        due_on=date(2027, 2, 28),
    )


def every_route(plan: ResultsPlan, report: Report) -> list[tuple[str, str]]:
    statement = plan.statements.first()
    indicator = PlanIndicator.objects.filter(statement__plan=plan).first()
    pk = {"pk": plan.pk}
    return [
        ("get", url("results:plan")),
        ("get", url("results:version", **pk)),
        ("get", url("results:edit", **pk)),
        ("post", url("results:start")),
        ("post", url("results:carry")),
        ("post", url("results:revise", **pk)),
        ("post", url("results:statement_add", **pk)),
        ("get", url("results:statement_edit", **pk, statement_pk=statement.pk)),
        ("post", url("results:statement_remove", **pk, statement_pk=statement.pk)),
        ("get", url("results:indicator_add", **pk, statement_pk=statement.pk)),
        ("get", url("results:indicator_edit", **pk, indicator_pk=indicator.pk)),
        ("post", url("results:indicator_remove", **pk, indicator_pk=indicator.pk)),
        ("post", url("results:propose", **pk)),
        ("post", url("results:reopen", **pk)),
        ("post", url("results:accept", **pk)),
        ("post", url("results:decline", **pk)),
        ("get", url("reports:indicators", pk=report.pk)),
        ("post", url("reports:indicators_save", pk=report.pk)),
    ]


def test_a_coordinator_of_another_partnership_gets_404_everywhere(draft, report):
    """Everywhere but the officer's steps, which they may do nowhere (403 whatever the plan)."""
    other = client_of("umea@demo.example")
    for method, address in every_route(draft, report):
        response = getattr(other, method)(address, {})
        want = 403 if address.endswith(("/accept/", "/decline/")) else 404
        assert response.status_code == want, (method, address, response.status_code)


def test_a_project_member_may_not_propose_and_an_officer_may_not_edit(draft):
    member = client_of("member@demo.example")
    response = member.post(url("results:propose", pk=draft.pk), {"version": draft.version})
    assert response.status_code == 403
    officer = client_of("officer@icld.example")
    assert officer.get(url("results:edit", pk=draft.pk)).status_code == 403
    falun = client_of("falun@demo.example")
    assert falun.post(url("results:accept", pk=draft.pk)).status_code == 403
    draft.refresh_from_db()
    assert draft.state == PlanState.DRAFT


def test_a_stale_save_is_refused_409_with_the_input_kept(draft):
    falun = client_of("falun@demo.example")
    statement = draft.statements.get(level="objective")
    address = url("results:statement_edit", pk=draft.pk, statement_pk=statement.pk)
    first = falun.post(address, {"version": draft.version, "text": "First change"})
    assert first.status_code == 302
    second = falun.post(address, {"version": draft.version, "text": "My lost words"})
    assert second.status_code == 409
    body = second.content.decode()
    assert "My lost words" in body
    assert "Någon annan har ändrat planen" in body or "Someone else changed" in body
    statement.refresh_from_db()
    assert statement.text == "First change"


def test_the_team_edits_proposes_and_the_officer_accepts_through_the_pages(draft, approved):
    falun = client_of("falun@demo.example")
    objective = draft.statements.get(level="objective")
    response = falun.post(
        url("results:statement_add", pk=draft.pk),
        {
            "version": draft.version,
            "level": "outcome",
            "parent": objective.pk,
            "text": "Citizens use the new service",
            "language": "en",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    outcome = draft.statements.get(text="Citizens use the new service")
    response = falun.post(
        url("results:indicator_add", pk=draft.pk, statement_pk=outcome.pk),
        {
            "version": draft.version,
            "name": "Users a month",
            "unit": "people",
            "baseline_value": "0",
            "target_year_0": "2026",
            "target_value_0": "1 500",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = falun.get(url("results:plan"))
    assert "Citizens use the new service" in page.content.decode()
    draft.refresh_from_db()
    response = falun.post(
        url("results:propose", pk=draft.pk),
        {"version": draft.version, "change_note": "A new outcome"},
    )
    assert response.status_code == 302
    officer = client_of("officer@icld.example")
    assert officer.post(url("results:accept", pk=draft.pk), {"note": ""}).status_code == 302
    again = officer.post(url("results:accept", pk=draft.pk), {"note": ""})
    assert again.status_code == 302  # told it was accepted already, nothing done twice
    draft.refresh_from_db()
    approved.refresh_from_db()
    assert draft.state == PlanState.APPROVED and approved.state == PlanState.SUPERSEDED
    history = falun.get(url("results:plan")).content.decode()
    assert url("results:version", pk=approved.pk) in history
    assert url("results:version", pk=draft.pk) in history


def test_a_bad_value_is_400_and_the_input_kept(approved, report):
    falun = client_of("falun@demo.example")
    indicator = PlanIndicator.objects.filter(statement__plan=approved).first()
    response = falun.post(
        url("reports:indicators_save", pk=report.pk),
        {
            "version": report.version,
            f"value-{indicator.pk}": "lots",
            f"comment-{indicator.pk}": "kept",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="lots"' in body and ">kept</textarea>" in body
    assert not IndicatorValue.objects.filter(report=report).exists()
    foreign = PlanIndicator.objects.exclude(statement__plan=approved).first()
    response = falun.post(
        url("reports:indicators_save", pk=report.pk),
        {"version": report.version, f"value-{foreign.pk}": "3"},
    )
    assert response.status_code == 400
    response = falun.post(
        url("reports:indicators_save", pk=report.pk),
        {"version": report.version, f"value-{indicator.pk}": "12,5"},
    )
    assert response.status_code == 302
    assert IndicatorValue.objects.get(report=report, indicator=indicator).value == 12.5
    stale = falun.post(
        url("reports:indicators_save", pk=report.pk),
        {"version": report.version, f"value-{indicator.pk}": "99"},
    )
    assert stale.status_code == 409 and 'value="99"' in stale.content.decode()


def test_a_steering_member_reads_the_values_but_may_not_save(approved, report):
    steering = client_of("steering@demo.example")
    page = steering.get(url("reports:indicators", pk=report.pk))
    assert page.status_code == 200 and "<textarea" not in page.content.decode()
    assert steering.post(url("reports:indicators_save", pk=report.pk), {}).status_code == 403


@pytest.mark.parametrize("extra_statements", [0, 4])
def test_the_plan_page_costs_a_constant_number_of_queries(
    draft, extra_statements, django_assert_num_queries
):
    objective = draft.statements.get(level="objective")
    for n in range(extra_statements):
        draft.statements.create(level="outcome", parent=objective, text=f"Outcome {n}")
    falun = client_of("falun@demo.example")
    falun.get(url("results:plan"))  # warm the session
    with django_assert_num_queries(PLAN_PAGE_QUERIES):
        assert falun.get(url("results:plan")).status_code == 200


@pytest.mark.parametrize("extra_values", [False, True])
def test_the_indicators_page_costs_a_constant_number_of_queries(
    approved, report, extra_values, django_assert_num_queries
):
    if extra_values:
        for indicator in PlanIndicator.objects.filter(statement__plan=approved):
            IndicatorValue.objects.create(report=report, indicator=indicator, value=1)
    falun = client_of("falun@demo.example")
    falun.get(url("reports:indicators", pk=report.pk))
    with django_assert_num_queries(INDICATORS_PAGE_QUERIES):
        assert falun.get(url("reports:indicators", pk=report.pk)).status_code == 200


PLAN_PAGE_QUERIES = 16
INDICATORS_PAGE_QUERIES = 10
