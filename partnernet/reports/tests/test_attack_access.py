"""Attacks across partnerships: a signed-in member of one partnership (and an officer) tries
every reports and results route with the real ids of ANOTHER partnership's report, plan,
statement, indicator, expenditure, import and receipt, by GET and POST, under the other
partnership's address and under their own (the mixed address). Every try is 404 and nothing
changes; every page answers HEAD; nothing is ever a 500."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from partnernet.grants.models import CostCategory
from partnernet.partnerships.models import Partnership
from partnernet.reports.models import (
    Expenditure,
    ExpenditureImport,
    IndicatorValue,
    PlanIndicator,
    PlanStatement,
    Report,
    ResultsPlan,
)

from .finances_helpers import client_of, own_report

pytestmark = pytest.mark.django_db

FOREIGN = "ronneby-ternopil"


def plan_with_indicator() -> tuple[Report, PlanIndicator]:
    """Falun–Kolomyia's draft report measured against its approved plan's one indicator."""
    report = own_report()
    plan = ResultsPlan.objects.filter(partnership=report.partnership, state="approved").first()
    assert plan is not None
    ResultsPlan.objects.filter(pk=plan.pk).update(decided_at=timezone.now() - timedelta(days=3650))
    statement = PlanStatement.objects.create(plan=plan, level="objective", text="Attack objective")
    indicator = PlanIndicator.objects.create(
        statement=statement, name="Attack indicator", unit="%", baseline_value=Decimal(1)
    )
    return report, indicator


def _objects(report: Report) -> dict[str, int]:
    """A draft plan with a statement and indicator, an expenditure and an import on `report`."""
    partnership = report.partnership
    plan = ResultsPlan.objects.create(
        partnership=partnership, component="project", change_note="attack"
    )
    statement = PlanStatement.objects.create(plan=plan, level="objective", text="Objective")
    indicator = PlanIndicator.objects.create(
        statement=statement, name="Indicator", unit="%", baseline_value=Decimal(1)
    )
    expenditure = Expenditure.objects.create(
        report=report,
        category=CostCategory.objects.filter(eligible=True).first(),
        description="Foreign secret cost",
        paid_on=report.period_start,
        amount=Decimal(50),
        rate_date=report.period_start,
        amount_sek=Decimal(50),
    )
    upload = ExpenditureImport.objects.create(report=report, file_name="x.csv", rows=[])
    return {
        "plan": plan.pk,
        "statement_pk": statement.pk,
        "indicator_pk": indicator.pk,
        "expenditure_pk": expenditure.pk,
        "import_pk": upload.pk,
    }


@pytest.fixture
def world():
    own = own_report()
    foreign_partnership = Partnership.objects.get(slug=FOREIGN)
    Report.objects.filter(partnership=foreign_partnership).delete()
    foreign = Report.objects.create(
        partnership=foreign_partnership,
        kind="annual",
        component="project",
        period_start=own.period_start,
        period_end=own.period_end,
        due_on=own.due_on,
    )
    return {"own": own, "own_ids": _objects(own), "foreign": foreign, "ids": _objects(foreign)}


REPORT_ROUTES = [
    ("detail", ()),
    ("save", ()),
    ("submit", ()),
    ("review", ()),
    ("due", ()),
    ("indicators", ()),
    ("indicators_save", ()),
    ("finances", ()),
    ("expenditure_add", ()),
    ("expenditure_edit", ("expenditure_pk",)),
    ("expenditure_remove", ("expenditure_pk",)),
    ("receipt_add", ("expenditure_pk",)),
    ("import", ()),
    ("import_preview", ("import_pk",)),
    ("import_confirm", ("import_pk",)),
    ("import_discard", ("import_pk",)),
    ("reimburse", ()),
]
PLAN_ROUTES = [
    ("version", ()),
    ("revise", ()),
    ("edit", ()),
    ("statement_add", ()),
    ("statement_edit", ("statement_pk",)),
    ("statement_remove", ("statement_pk",)),
    ("indicator_add", ("statement_pk",)),
    ("indicator_edit", ("indicator_pk",)),
    ("indicator_remove", ("indicator_pk",)),
    ("propose", ()),
    ("reopen", ()),
    ("accept", ()),
    ("decline", ()),
]
# Steps only staff take: `requires` answers 403 before any key is looked at (no leak).
NOT_HELD_BY_TEAMS = {"review", "due", "reimburse"}
ATTACKERS = ["falun@demo.example", "officer@icld.example", "finance@icld.example"]


def _snapshot(world) -> tuple:
    foreign = world["foreign"]
    ids = world["ids"]
    return (
        Report.objects.filter(pk=foreign.pk).values_list("state", "version").first(),
        Expenditure.objects.filter(report=foreign).values_list("pk", "description", "amount")[:],
        ExpenditureImport.objects.filter(report=foreign).values_list("pk", "status")[:],
        ResultsPlan.objects.filter(pk=ids["plan"]).values_list("state", "version").first(),
        PlanStatement.objects.filter(plan_id=ids["plan"]).values_list("pk", "text")[:],
        PlanIndicator.objects.filter(statement__plan_id=ids["plan"]).values_list("pk", "name")[:],
        IndicatorValue.objects.filter(report=foreign).count(),
    )


def _as_list(snapshot):
    return tuple(list(x) if not isinstance(x, tuple | int | None) else x for x in snapshot)


def _reverse(namespace: str, name: str, slug: str, pk: int, ids: dict, extra) -> str:
    with translation.override("sv"):
        return reverse(
            f"{namespace}:{name}", kwargs={"slug": slug, "pk": pk, **{k: ids[k] for k in extra}}
        )


POST_BODY = {
    "version": "1",
    "text": "overwritten",
    "name": "overwritten",
    "description": "overwritten",
    "amount": "1",
    "paid_on": "2026-01-01",
    "reference": "x",
    "decision": "approve",
    "change_note": "x",
}


@pytest.mark.parametrize("email", ATTACKERS)
@pytest.mark.parametrize("name,extra", REPORT_ROUTES)
def test_another_partnerships_report_ids_are_404_everywhere(world, email, name, extra):
    client = client_of(email)
    client.raise_request_exception = False
    before = _as_list(_snapshot(world))
    own, foreign, ids, own_ids = world["own"], world["foreign"], world["ids"], world["own_ids"]
    addresses = [
        # the own partnership's address with the foreign report
        _reverse("reports", name, own.partnership.slug, foreign.pk, ids, extra),
        # the own report with the foreign sub-object
        _reverse("reports", name, own.partnership.slug, own.pk, ids, extra) if extra else None,
    ]
    if email.startswith("falun"):
        # a member of another partnership, under the foreign address itself
        addresses.append(_reverse("reports", name, FOREIGN, foreign.pk, ids, extra))
    for address in filter(None, addresses):
        for method in ("get", "post", "head"):
            response = getattr(client, method)(address, POST_BODY if method == "post" else None)
            assert response.status_code < 500, (address, method)
            assert response.status_code in (403, 404, 405), (address, method, response.status_code)
            if (
                email.startswith("falun")
                and name not in NOT_HELD_BY_TEAMS
                and response.status_code != 405
                and address.startswith(f"/sv/partnerships/{own.partnership.slug}/")
            ):
                assert response.status_code == 404, (address, method, response.status_code)
    assert _as_list(_snapshot(world)) == before
    del own_ids


@pytest.mark.parametrize("email", ATTACKERS)
@pytest.mark.parametrize("name,extra", PLAN_ROUTES)
def test_another_partnerships_plan_ids_are_404_everywhere(world, email, name, extra):
    client = client_of(email)
    client.raise_request_exception = False
    before = _as_list(_snapshot(world))
    own_slug = world["own"].partnership.slug
    ids, own_ids = world["ids"], world["own_ids"]
    addresses = [
        _reverse("results", name, own_slug, ids["plan"], ids, extra),
        _reverse("results", name, own_slug, own_ids["plan"], ids, extra) if extra else None,
    ]
    if email.startswith("falun"):
        addresses.append(_reverse("results", name, FOREIGN, ids["plan"], ids, extra))
    for address in filter(None, addresses):
        for method in ("get", "post", "head"):
            response = getattr(client, method)(address, POST_BODY if method == "post" else None)
            assert response.status_code < 500, (address, method)
            assert response.status_code in (403, 404, 405), (address, method, response.status_code)
    assert _as_list(_snapshot(world)) == before


def test_a_receipt_document_of_another_partnership_cannot_be_attached(world):
    from partnernet.documents.models import Document

    foreign_document = Document.objects.filter(partnership__slug=FOREIGN).first()
    if foreign_document is None:
        pytest.skip("the demo has no document of the other partnership")
    own, own_ids = world["own"], world["own_ids"]
    client = client_of("falun@demo.example")
    client.raise_request_exception = False
    own.refresh_from_db()
    address = _reverse(
        "reports", "receipt_add", own.partnership.slug, own.pk, own_ids, ("expenditure_pk",)
    )
    response = client.post(address, {"version": own.version, "document": foreign_document.pk})
    assert response.status_code in (400, 404)
    expenditure = Expenditure.objects.get(pk=own_ids["expenditure_pk"])
    assert not expenditure.receipts.filter(pk=foreign_document.pk).exists()


def test_indicator_values_for_another_partnerships_indicator_are_refused(world):
    report, indicator = plan_with_indicator()
    foreign_indicator = world["ids"]["indicator_pk"]
    client = client_of("falun@demo.example")
    client.raise_request_exception = False
    report.refresh_from_db()
    with translation.override("sv"):
        address = reverse(
            "reports:indicators_save", kwargs={"slug": report.partnership.slug, "pk": report.pk}
        )
    response = client.post(
        address,
        {
            "version": report.version,
            f"value-{foreign_indicator}": "5",
            f"value-{indicator.pk}": "1",
        },
    )
    assert response.status_code in (302, 400)
    assert not IndicatorValue.objects.filter(indicator_id=foreign_indicator).exists()


HUGE = 99_999_999_999_999_999_999


@pytest.mark.parametrize("name,extra", REPORT_ROUTES)
def test_ids_beyond_the_database_integer_are_404_not_a_500(world, name, extra):
    client = client_of("falun@demo.example")
    client.raise_request_exception = False
    own = world["own"]
    huge_ids = {key: HUGE for key in ("expenditure_pk", "import_pk")}
    for pk in (HUGE, own.pk):
        if pk == own.pk and not extra:
            continue
        address = _reverse("reports", name, own.partnership.slug, pk, huge_ids, extra)
        for method in ("get", "post", "head"):
            response = getattr(client, method)(address, POST_BODY if method == "post" else None)
            assert response.status_code in (403, 404, 405), (address, method, response.status_code)


@pytest.mark.parametrize("name,extra", PLAN_ROUTES)
def test_plan_ids_beyond_the_database_integer_are_404_not_a_500(world, name, extra):
    client = client_of("falun@demo.example")
    client.raise_request_exception = False
    own_slug = world["own"].partnership.slug
    huge_ids = {key: HUGE for key in ("statement_pk", "indicator_pk")}
    for pk in (HUGE, world["own_ids"]["plan"]):
        if not extra and pk != HUGE:
            continue
        address = _reverse("results", name, own_slug, pk, huge_ids, extra)
        for method in ("get", "post", "head"):
            response = getattr(client, method)(address, POST_BODY if method == "post" else None)
            assert response.status_code in (403, 404, 405), (address, method, response.status_code)
