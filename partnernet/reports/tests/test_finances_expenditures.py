"""One expenditure at a time: the funder's rules refuse ineligible and over-ceiling costs with
the reason and keep what was typed; stale and closed reports are refused; receipts belong to
the partnership; the finances page costs the same number of queries for 3 or 300 rows."""

import html
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnernet.accounts.models import User
from partnernet.documents.models import Document
from partnernet.grants.models import BudgetLine, CostCategory
from partnernet.partnerships.models import Partnership
from partnernet.reports.models import Expenditure, Report
from partnernet.reports.services import finances as services

from .finances_helpers import client_of, own_report, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    return own_report()


@pytest.fixture
def falun():
    return client_of("falun@demo.example")


def _form(report, **changes) -> dict:
    values = {
        "paid_on": report.period_start.isoformat(),
        "description": "Tågbiljetter Falun–Kolomyja",
        "category": str(CostCategory.objects.get(slug="travel").pk),
        "budget_line": "",
        "currency": "SEK",
        "amount": "1 250,50",
        "rate": "",
        "rate_date": "",
        "version": report.version,
    }
    values.update(changes)
    return values


def _refused(client, report, expected: str, **changes):
    response = client.post(url("expenditure_add", report), _form(report, **changes))
    body = html.unescape(response.content.decode())
    assert response.status_code in (400, 409), body[:500]
    assert expected in body, body[body.find("errorlist") - 200 : body.find("errorlist") + 800]
    assert not Expenditure.objects.filter(report=report).exists()
    return body


def test_an_expenditure_is_saved_in_sek_and_bumps_the_version(falun, report):
    version = report.version
    response = falun.post(url("expenditure_add", report), _form(report))
    assert response.status_code == 302
    expenditure = Expenditure.objects.get(report=report)
    assert expenditure.amount_sek == Decimal("1250.50") and expenditure.rate == 1
    report.refresh_from_db()
    assert report.version == version + 1


def test_an_ineligible_cost_is_refused_with_the_reason_and_the_input_kept(falun, report):
    salaries = CostCategory.objects.get(slug="salaries")
    body = _refused(falun, report, "is not an eligible cost", category=str(salaries.pk))
    assert "Tågbiljetter Falun–Kolomyja" in body  # what was typed is still there
    assert salaries.explanation_en[:30] in body


def test_over_the_ceiling_is_refused(falun, report):
    _refused(falun, report, "above the ceiling", amount="220000,01")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"amount": "0"}, "An amount must be more than zero."),
        ({"amount": "-5"}, "An amount must be more than zero."),
        ({"amount": "12345678901"}, "at most 10 digits"),
        ({"amount": "abc"}, "is not an amount"),
        ({"paid_on": "1999-01-01"}, "outside the report's period"),
        ({"paid_on": "31.02.2026"}, "is not a date"),
        ({"description": ""}, "Describe the cost."),
        ({"currency": "GBP"}, "is not one of"),
        ({"currency": "EUR"}, "No rate for EUR"),
        ({"currency": "SEK", "rate": "2"}, "An amount in SEK has the rate 1."),
    ],
)
def test_bad_values_are_refused_with_a_message(falun, report, changes, expected):
    _refused(falun, report, expected, **changes)


def test_a_budget_line_of_another_application_is_refused(falun, report):
    other = BudgetLine.objects.exclude(application_id=report.agreement.application_id).first()
    _refused(falun, report, "is not a budget line of this report", budget_line=str(other.pk))


def test_a_budget_line_of_the_own_application_gives_its_category(falun, report):
    line = BudgetLine.objects.filter(application_id=report.agreement.application_id).first()
    response = falun.post(
        url("expenditure_add", report), _form(report, budget_line=str(line.pk), category="")
    )
    assert response.status_code == 302
    assert Expenditure.objects.get(report=report).category_id == line.category_id


def test_a_stale_form_is_refused(falun, report):
    falun.post(url("expenditure_add", report), _form(report))
    _version = report.version  # the page was read before the first save
    response = falun.post(url("expenditure_add", report), _form(report, version=_version))
    assert response.status_code == 409
    assert Expenditure.objects.filter(report=report).count() == 1


def test_a_submitted_report_takes_no_costs(falun, report):
    report.submit()
    report.save()
    response = falun.post(url("expenditure_add", report), _form(report))
    assert response.status_code == 400 and not Expenditure.objects.filter(report=report).exists()


def _add(report, amount="6000") -> Expenditure:
    return services.expenditure_add(
        report=report,
        version=report.version,
        values={
            "paid_on": report.period_start.isoformat(),
            "description": "Hotell",
            "category": "accommodation",
            "currency": "SEK",
            "amount": amount,
        },
        actor=User.objects.get(email="falun@demo.example"),
    )


def test_edit_and_remove(falun, report):
    expenditure = _add(report)
    response = falun.post(
        url("expenditure_edit", report, expenditure_pk=expenditure.pk),
        _form(report, amount="10", version=report.version),
    )
    assert response.status_code == 302
    expenditure.refresh_from_db()
    assert expenditure.amount_sek == Decimal("10.00")
    report.refresh_from_db()
    response = falun.post(
        url("expenditure_remove", report, expenditure_pk=expenditure.pk),
        {"version": report.version},
    )
    assert response.status_code == 302 and not Expenditure.objects.filter(report=report).exists()


def test_receipts_upload_and_attach_and_another_partnerships_is_refused(falun, report):
    from partnernet.grants.tests.factories import _one_page_pdf

    expenditure = _add(report)
    assert len(services.expenditure_problems(report)) == 1  # SEK 6 000 without a receipt
    response = falun.post(
        url("receipt_add", report, expenditure_pk=expenditure.pk),
        {
            "version": report.version,
            "file": SimpleUploadedFile("kvitto.pdf", _one_page_pdf(), "application/pdf"),
            "title": "Kvitto hotell",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    document = expenditure.receipts.get()
    assert document.category == "receipt" and document.partnership_id == report.partnership_id
    assert services.expenditure_problems(report) == []
    other = Document.objects.create(
        partnership=Partnership.objects.get(slug="umea-kherson"), title="x", category="other"
    )
    report.refresh_from_db()
    response = falun.post(
        url("receipt_add", report, expenditure_pk=expenditure.pk),
        {"version": report.version, "document": other.pk},
    )
    assert response.status_code == 400
    assert "must be a document of this partnership" in html.unescape(response.content.decode())
    assert expenditure.receipts.count() == 1


def _many(report: Report, count: int) -> None:
    travel = CostCategory.objects.get(slug="travel")
    line = BudgetLine.objects.filter(application_id=report.agreement.application_id).first()
    Expenditure.objects.bulk_create(
        Expenditure(
            report=report,
            category=travel,
            budget_line=line if n % 2 else None,
            description=f"Resa {n}",
            paid_on=report.period_start,
            amount=Decimal(10),
            rate_date=report.period_start,
            amount_sek=Decimal(10),
        )
        for n in range(count)
    )


def _queries(client, report, django_assert_num_queries, count: int) -> None:
    client.get(url("finances", report))  # warm the session and the caches
    with django_assert_num_queries(count):
        response = client.get(url("finances", report))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 300])
def test_the_finances_page_costs_the_same_queries_for_3_and_300_rows(
    falun, report, rows, django_assert_num_queries
):
    _many(report, rows)
    _queries(falun, report, django_assert_num_queries, QUERIES)


QUERIES = 11  # with the latest recorded rates the form proposes
