"""Attacks on the public channels and the officers' dashboard: a secret written into every
private text of the reports (expenditure descriptions, review comments, indicator comments,
a draft report's narrative, an unapproved plan) never appears in the open data (IATI, the
results and finances datasets) or on the network's page; the dashboard and its export are
403 for everyone but officers; junk filters are 400, never a 500; every page answers HEAD."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from partnernet.grants.models import CostCategory
from partnernet.reports.models import (
    Expenditure,
    IndicatorValue,
    PlanIndicator,
    PlanStatement,
    Report,
    ReportState,
    ResultsPlan,
    ReviewComment,
)

from .finances_helpers import client_of, own_report

pytestmark = pytest.mark.django_db

SECRET = "ZZSECRETZZ"


@pytest.fixture
def secrets():
    report = own_report()
    partnership = report.partnership
    Expenditure.objects.create(
        report=report,
        category=CostCategory.objects.filter(eligible=True).first(),
        description=f'=HYPERLINK("http://evil","{SECRET}")',
        paid_on=report.period_start,
        amount=Decimal(100),
        rate_date=report.period_start,
        amount_sek=Decimal(100),
    )
    plan = ResultsPlan.objects.filter(partnership=partnership, state="approved").first()
    ResultsPlan.objects.filter(pk=plan.pk).update(decided_at=timezone.now() - timedelta(days=3650))
    statement = PlanStatement.objects.create(plan=plan, level="objective", text="Public objective")
    indicator = PlanIndicator.objects.create(
        statement=statement, name="Public indicator", unit="%", baseline_value=Decimal(1)
    )
    IndicatorValue.objects.create(
        report=report, indicator=indicator, value=Decimal(5), comment=f"{SECRET} comment"
    )
    ReviewComment.objects.create(report=report, part="finances", text=f"{SECRET} review")
    draft = ResultsPlan.objects.create(partnership=partnership, component="project")
    PlanStatement.objects.create(plan=draft, level="objective", text=f"{SECRET} draft objective")
    Report.objects.filter(pk=report.pk).update(state=ReportState.APPROVED)
    return report


PUBLIC = [
    ("opendata:iati_activities", {}),
    ("opendata:iati_organisation", {}),
    ("opendata:csv", {"name": "results"}),
    ("opendata:csv", {"name": "finances"}),
    ("opendata:json", {"name": "results"}),
    ("opendata:json", {"name": "finances"}),
    ("opendata:datapackage", {}),
]


@pytest.mark.parametrize("name,kwargs", PUBLIC)
def test_no_private_text_reaches_the_open_data(secrets, name, kwargs):
    client = Client(raise_request_exception=False)
    with translation.override("sv"):
        address = reverse(name, kwargs=kwargs)
    response = client.get(address)
    assert response.status_code in (200, 404)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert SECRET.encode() not in body
    assert client.head(address).status_code in (200, 404)


def test_no_private_text_reaches_the_network_page(secrets):
    client = Client(raise_request_exception=False)
    network = secrets.partnership.network
    with translation.override("sv"):
        address = reverse("catalogue:network", kwargs={"slug": network.slug})
    response = client.get(address)
    assert response.status_code == 200
    assert SECRET.encode() not in response.content


PROGRAMME = ["programme:dashboard", "programme:export", "programme:budget"]


@pytest.mark.parametrize("name", PROGRAMME)
@pytest.mark.parametrize(
    "email",
    [
        "falun@demo.example",
        "kolomyia@demo.example",
        "member@demo.example",
        "steering@demo.example",
        "reviewer@icld.example",
    ],
)
def test_the_programme_pages_are_refused_to_everyone_but_officers(name, email):
    client = client_of(email)
    client.raise_request_exception = False
    with translation.override("sv"):
        address = reverse(name)
    assert client.get(address).status_code == 403
    assert client.head(address).status_code == 403


JUNK = [
    "year=abc",
    "year=-1",
    "year=99999999999999999999999",
    "call=999999999999999999999",
    "call=abc",
    "call=-1",
    "network[]=",
    "network=%00",
    "network=x&network=y",
    "year=2026&year=abc",
    "year=%00",
    "call=1e309",
    "page=abc",
]


@pytest.mark.parametrize("name", PROGRAMME)
@pytest.mark.parametrize("query", JUNK)
def test_junk_programme_filters_are_refused_or_ignored_never_a_500(name, query):
    client = client_of("officer@icld.example")
    client.raise_request_exception = False
    with translation.override("sv"):
        address = reverse(name) + "?" + query
    response = client.get(address)
    assert response.status_code in (200, 400), (query, response.status_code)
    assert client.head(address).status_code in (200, 400)


def test_the_dashboard_export_neutralises_formulas(secrets):
    from io import BytesIO

    from openpyxl import load_workbook

    client = client_of("officer@icld.example")
    with translation.override("sv"):
        response = client.get(reverse("programme:export"))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value.startswith(("=", "+", "-", "@")))


@pytest.mark.parametrize("state", list(ReportState.values))
@pytest.mark.parametrize("email", ["falun@demo.example", "officer@icld.example"])
def test_the_start_page_and_the_report_pages_show_a_report_of_every_state(state, email):
    report = own_report()
    Report.objects.filter(pk=report.pk).update(state=state)
    client = client_of(email)
    client.raise_request_exception = False
    slug = report.partnership.slug
    with translation.override("sv"):
        addresses = [
            reverse("catalogue:home"),
            reverse("accounts:home"),
            reverse("workspace:home", kwargs={"slug": slug}),
            reverse("reports:list", kwargs={"slug": slug}),
            reverse("results:plan", kwargs={"slug": slug}),
            *(
                reverse(f"reports:{name}", kwargs={"slug": slug, "pk": report.pk})
                for name in ("detail", "indicators", "finances", "import", "reimburse")
            ),
            reverse(
                "reports:import_template", kwargs={"slug": slug, "pk": report.pk, "fmt": "csv"}
            ),
        ]
    for address in filter(None, addresses):
        response = client.get(address)
        assert response.status_code < 500, address
        assert response.status_code in (200, 403), (address, response.status_code)
        assert client.head(address).status_code == response.status_code, address


def test_the_import_templates_neutralise_a_formula_in_a_category_name():
    report = own_report()
    category = CostCategory.objects.filter(eligible=True).order_by("order", "slug").first()
    CostCategory.objects.filter(pk=category.pk).update(
        name_sv='=HYPERLINK("http://evil")', name_en="@SUM(A1)"
    )
    client = client_of("falun@demo.example")
    for lang, fmt in (("sv", "csv"), ("en", "csv"), ("sv", "xlsx")):
        with translation.override(lang):
            address = reverse(
                "reports:import_template",
                kwargs={"slug": report.partnership.slug, "pk": report.pk, "fmt": fmt},
            )
        response = client.get(address)
        assert response.status_code == 200
        if fmt == "csv":
            text = response.content.decode("utf-8-sig")
            for cell in text.replace("\r\n", ";").split(";"):
                assert not cell.startswith(("=", "+", "-", "@")), cell
        else:
            from io import BytesIO

            from openpyxl import load_workbook

            book = load_workbook(BytesIO(response.content))
            for row in book.active.iter_rows(values_only=True):
                for value in row:
                    assert not (isinstance(value, str) and value.startswith(("=", "@")))


def _public_bodies() -> bytes:
    client = Client(raise_request_exception=False)
    bodies = []
    for name, kwargs in PUBLIC:
        with translation.override("sv"):
            response = client.get(reverse(name, kwargs=kwargs))
        bodies.append(
            b"".join(response.streaming_content) if response.streaming else response.content
        )
    return b"\n".join(bodies)


@pytest.mark.parametrize("state", [ReportState.DRAFT, ReportState.SUBMITTED, ReportState.RETURNED])
def test_the_money_of_a_report_not_approved_is_not_published(state):
    report = own_report()
    Expenditure.objects.create(
        report=report,
        category=CostCategory.objects.filter(eligible=True).first(),
        description="Tickets",
        paid_on=report.period_start,
        amount=Decimal("1234567.89"),
        rate_date=report.period_start,
        amount_sek=Decimal("1234567.89"),
    )
    Report.objects.filter(pk=report.pk).update(state=state)
    body = _public_bodies()
    for spelling in (b"1234567.89", b"1234567,89", b"1 234 567", b"1234567"):
        assert spelling not in body


def test_an_unpublished_partnerships_plan_is_not_published(secrets):
    partnership = secrets.partnership
    plan = ResultsPlan.objects.get(partnership=partnership, state="approved")
    PlanStatement.objects.create(plan=plan, level="outcome", text=f"{SECRET} unpublished")
    type(partnership).objects.filter(pk=partnership.pk).update(publication="withdrawn")
    assert SECRET.encode() not in _public_bodies()


def test_the_money_of_an_approved_report_is_published_so_the_refusals_above_mean_something():
    report = own_report()
    Expenditure.objects.create(
        report=report,
        category=CostCategory.objects.filter(eligible=True).first(),
        description="Tickets",
        paid_on=report.period_start,
        amount=Decimal("1234567.89"),
        rate_date=report.period_start,
        amount_sek=Decimal("1234567.89"),
    )
    Report.objects.filter(pk=report.pk).update(state=ReportState.APPROVED)
    assert b"1234567.89" in _public_bodies()
