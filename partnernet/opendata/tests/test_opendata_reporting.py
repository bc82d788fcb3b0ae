"""What the reports publish (IATI transactions, budgets and results; the results and finances
datasets), against the demo's reports: one per seed pair in every state (reports/demo.py)."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from lxml import etree

from partnernet.partnerships.models import Partnership
from partnernet.reports.models import (
    Expenditure,
    IndicatorValue,
    PlanIndicator,
    PlanStatement,
    PlanTarget,
    Reimbursement,
    Report,
    ReportState,
    ResultsPlan,
)

from .factories import partnership
from .test_iati import assert_codes_exist, assert_valid, codelist, download

pytestmark = pytest.mark.django_db
UMEA, VAXJO, KARLSKRONA = "umea-kherson", "vaxjo-kalush", "karlskrona-chortkiv"


def body(path: str) -> bytes:
    response = Client().get(path)
    assert response.status_code == 200, path
    return b"".join(response.streaming_content) if response.streaming else response.content


def table(name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(f"/open-data/{name}.csv").decode(), newline="")))


def activity(document: etree._Element, slug: str) -> etree._Element:
    found = document.xpath(f"//iati-activity[iati-identifier[contains(., '{slug}')]]")
    assert len(found) == 1, slug
    return found[0]


def test_the_demo_iati_file_has_disbursements_and_actuals_and_validates():
    document = download()
    assert_valid(document)
    assert_codes_exist(document)
    assert set(document.xpath("//transaction-type/@code")) <= codelist("TransactionType")
    umea = activity(document, UMEA)
    assert umea.xpath("transaction/transaction-type/@code") == ["3", "4"]
    paid = Reimbursement.objects.get(report__partnership__slug=UMEA)
    disbursement = umea.xpath("transaction[transaction-type/@code='3']")[0]
    assert disbursement.xpath("value/text()") == [str(int(paid.amount))]
    assert disbursement.xpath("value/@value-date") == [paid.paid_on.isoformat()]
    assert disbursement.xpath("value/@currency") == ["SEK"]
    assert umea.xpath("result/indicator/period/actual/@value")
    assert set(umea.xpath("result/@type")) == {"1", "2"}
    assert umea.xpath("result/indicator/baseline/@iso-date")
    # Expenditure transactions: one per approved report (Umeå and Växjö), dated its period's end.
    report = Report.objects.get(partnership__slug=VAXJO)
    vaxjo = activity(document, VAXJO)
    assert vaxjo.xpath("transaction/transaction-type/@code") == ["4"]
    assert vaxjo.xpath("transaction/transaction-date/@iso-date") == [report.period_end.isoformat()]
    assert len(document.xpath("//transaction-type[@code='4']")) == 2
    assert len(document.xpath("//transaction-type[@code='3']")) == 1
    # A budget per agreement year, from the application's budget lines.
    assert vaxjo.xpath("budget/value/text()") == ["345000"]


def test_actuals_come_from_approved_reports_only():
    document = download()
    submitted = Report.objects.get(partnership__slug=KARLSKRONA)
    assert submitted.state == ReportState.SUBMITTED
    assert IndicatorValue.objects.filter(report=submitted).exists()
    assert activity(document, KARLSKRONA).xpath("//period/actual") != []  # others have some
    assert activity(document, KARLSKRONA).xpath("result/indicator/period/actual") == []
    assert activity(document, KARLSKRONA).xpath("transaction") == []
    approved = IndicatorValue.objects.filter(
        report__state=ReportState.APPROVED, value__isnull=False
    ).count()
    assert len(document.xpath("//result/indicator/period/actual")) == approved
    actuals = {r["actual"] for r in table("results") if r["partnership"] == KARLSKRONA}
    assert actuals == {""}


def test_no_expenditure_description_nor_comment_leaves():
    descriptions = set(Expenditure.objects.values_list("description", flat=True))
    comments = set(IndicatorValue.objects.exclude(comment="").values_list("comment", flat=True))
    channels = [body("/open-data/iati-activities.xml").decode()]
    channels += [
        body(f"/open-data/{n}.{f}").decode()
        for n in ("results", "finances")
        for f in ("csv", "json")
    ]
    for text in channels:
        assert not [d for d in descriptions | comments if d in text]


def test_private_money_hides_budgets_transactions_and_finances():
    Partnership.objects.filter(slug=UMEA).update(private_fields=["granted_amount"])
    document = download()
    assert_valid(document)
    umea = activity(document, UMEA)
    assert umea.xpath("transaction") == [] and umea.xpath("budget") == []
    assert not [r for r in table("finances") if r["partnership"] == UMEA]
    assert [r for r in table("results") if r["partnership"] == UMEA]  # results are not money


def test_a_private_partner_is_scrubbed_from_statements_and_indicator_names():
    plan = ResultsPlan.objects.get(partnership__slug=UMEA, state="approved")
    statement = PlanStatement.objects.filter(plan=plan, indicators__isnull=False).first()
    PlanStatement.objects.filter(pk=statement.pk).update(text="Kherson consults its residents.")
    PlanIndicator.objects.filter(statement=statement).update(name="Residents of Kherson heard")
    Partnership.objects.filter(slug=UMEA).update(private_fields=["partner"])
    xml = body("/open-data/iati-activities.xml").decode()
    results = body("/open-data/results.csv").decode()
    for text in (xml, results):
        assert "kherson" not in text.lower()
        assert "the partner municipality consults its residents." in text.lower()
    assert "Residents of the partner municipality heard" in results


@pytest.mark.parametrize("publication", ["draft", "withdrawn"])
def test_an_unpublished_partnership_has_no_results_nor_finances(publication):
    Partnership.objects.filter(slug=VAXJO).update(publication=publication)
    assert not [r for r in table("results") if r["partnership"] == VAXJO]
    assert not [r for r in table("finances") if r["partnership"] == VAXJO]
    assert "vaxjo-kalush" not in body("/open-data/iati-activities.xml").decode()


def test_the_finances_add_up_to_the_hand_computed_figures():
    """Umeå's demo report, by hand: 38 600 SEK + 1 480 EUR × 11.42 + (21 500 + 14 800 + 36 000)
    UAH × 0.261 + 52 300 SEK = 38 600 + 16 901.60 + 18 870.30 + 52 300 = 126 671.90 SEK,
    reimbursed rounded to 126 672; the agreement year's budget 260 000 + 45 000 + 40 000."""
    rows = {r["partnership"]: r for r in table("finances")}
    assert set(rows) == {UMEA, VAXJO}  # the approved reports
    umea = rows[UMEA]
    assert umea["reported_sek"] == "126671.90"
    assert umea["reimbursed_sek"] == "126672.00"
    assert umea["budget_sek"] == "345000"
    assert rows[VAXJO]["reimbursed_sek"] == "" and rows[VAXJO]["reported_sek"] == "126671.90"
    report = Report.objects.get(partnership__slug=UMEA)
    assert umea["period_start"] == report.period_start.isoformat()
    assert umea["year"] == str(report.period_end.year)


def test_results_rows_carry_baseline_target_and_actual():
    rows = [r for r in table("results") if r["partnership"] == UMEA]
    indicators = PlanIndicator.objects.filter(statement__plan__partnership__slug=UMEA)
    assert len(rows) == PlanTarget.objects.filter(indicator__in=indicators).count()
    report = Report.objects.get(partnership__slug=UMEA)
    this_year = [r for r in rows if r["year"] == str(report.period_end.year)]
    assert this_year and all(r["actual"] for r in this_year)
    assert all(r["period_start"] == report.period_start.isoformat() for r in this_year)
    value = IndicatorValue.objects.filter(report=report).select_related("indicator").first()
    row = next(r for r in this_year if r["indicator_id"] == str(value.indicator.lineage))
    assert Decimal(row["actual"]) == value.value
    assert Decimal(row["baseline"]) == value.indicator.baseline_value
    assert {r["level"] for r in rows} <= {"objective", "outcome", "output"}


def _reported_copy(item: Partnership) -> None:
    """The Umeå demo's plan and approved, reimbursed report, copied onto `item`."""
    source = Report.objects.get(partnership__slug=UMEA)
    plan = ResultsPlan.objects.create(partnership=item, component=source.component)
    report = Report.objects.create(
        partnership=item,
        kind="annual",
        component=source.component,
        accounting_year=source.period_end.year,
        period_start=source.period_start,
        period_end=source.period_end,
        due_on=source.due_on,
    )
    statement = PlanStatement.objects.create(plan=plan, level="outcome", text="Outcome")
    for n in range(2):
        indicator = PlanIndicator.objects.create(
            statement=statement, name=f"Indicator {n}", unit="%", baseline_value=1
        )
        PlanTarget.objects.create(indicator=indicator, year=source.period_end.year, value=5)
        IndicatorValue.objects.create(report=report, indicator=indicator, value=4)
    for expenditure in source.expenditures.all()[:2]:
        expenditure.pk = None
        expenditure.report = report
        expenditure.save()
    plan.accept()
    plan.save()
    report.submit()
    report.approve()
    report.save()
    Reimbursement.objects.create(
        report=report,
        amount=10,
        paid_on=source.period_end,
        reference="x",
        recorded_by=source.reimbursement.recorded_by,
    )


def _queries(path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        body(path)
    return len(captured)


@pytest.mark.parametrize(
    "path", ["/open-data/iati-activities.xml", "/open-data/results.csv", "/open-data/finances.csv"]
)
def test_the_exports_cost_the_same_queries_whatever_the_number_of_partnerships(path):
    before = _queries(path)
    for offset in range(3):
        _reported_copy(partnership(slug=f"more-{offset}", swedish="0180"))
    assert _queries(path) == before
    assert before <= 20, before


@pytest.mark.parametrize(
    ("lang", "results", "finances"),
    [("sv", "Resultat", "Ekonomi"), ("uk", "Результати", "Фінанси"), ("en", "Results", "Finances")],
)
def test_the_open_data_page_lists_the_new_datasets_in_each_language(lang, results, finances):
    page = Client().get("/open-data/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert 'id="results"' in page and 'id="finances"' in page
    assert results in page and finances in page
    assert "/open-data/results.csv" in page and "/open-data/finances.json" in page


def test_the_plan_maps_to_iati_result_types_measures_and_non_overlapping_periods():
    from datetime import date

    from partnernet.opendata import iati
    from partnernet.opendata.selectors import PlanIndicatorData, PlanStatementData

    def indicator(unit: str) -> PlanIndicatorData:
        return PlanIndicatorData(
            lineage="x",
            name="Kolomyia households",
            unit=unit,
            baseline=Decimal("1.50"),
            baseline_date=date(2024, 11, 1),
            targets={2024: Decimal(5), 2025: Decimal(9)},
            actuals={2024: Decimal(4)},
        )

    statements = [
        PlanStatementData(level, f"{level} of Kolomyia", "en", [indicator(unit)])
        for level, unit in (("objective", "%"), ("outcome", "people"), ("output", "%"))
    ]
    periods = {2024: (date(2024, 12, 1), date(2025, 11, 30))}
    results = iati.results_from_plan(statements, periods, lambda text, lang: text.upper())
    assert [r["type"] for r in results] == ["3", "2", "1"]
    assert [r["indicators"][0]["measure"] for r in results] == ["2", "1", "2"]
    assert results[0]["title"] == {"en": "OBJECTIVE OF KOLOMYIA"}  # through the scrubber
    assert results[0]["indicators"][0]["title"] == {"": "KOLOMYIA HOUSEHOLDS"}
    first, second = results[0]["indicators"][0]["periods"]
    assert (first["start"], first["end"]) == (date(2024, 12, 1), date(2025, 11, 30))
    assert (first["target"], first["actual"]) == ("5", "4")
    assert (second["start"], second["end"]) == (date(2025, 12, 1), date(2026, 11, 30))
    assert (second["target"], second["actual"]) == ("9", None)
    element = iati.result(results[0])
    baseline = element.find("indicator/baseline")
    assert baseline.attrib == {"year": "2024", "iso-date": "2024-11-01", "value": "1.5"}
