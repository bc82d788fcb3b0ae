"""The bulk expenditure import: a file with one bad row is refused whole with its line named
and nothing written; the same file fixed is imported once; the templates in three languages
import back cleanly; ineligible and over-ceiling costs are refused with the reason."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnernet.accounts.models import User
from partnernet.reports.models import ExchangeRate, Expenditure, ExpenditureImport
from partnernet.reports.services import finances as services

from .finances_helpers import HEADER, client_of, csv_bytes, good_rows, own_report, url, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    return own_report()


@pytest.fixture
def falun():
    return client_of("falun@demo.example")


def _upload(client, report, name: str, data: bytes):
    return client.post(url("import", report), {"file": SimpleUploadedFile(name, data)})


def _import_of(response) -> ExpenditureImport:
    assert response.status_code == 302, response.content[:2000]
    return ExpenditureImport.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _confirm(client, report, upload):
    report.refresh_from_db()
    return client.post(
        url("import_confirm", report, import_pk=upload.pk), {"version": report.version}
    )


def test_a_csv_with_one_bad_row_among_500_is_refused_whole_with_its_line(falun, report):
    rows = good_rows(report, 500)
    rows[316][4] = "-12"  # line 318 of the spreadsheet (the headings are line 1)
    upload = _import_of(_upload(falun, report, "costs.csv", csv_bytes([HEADER, *rows])))
    assert upload.errors == [{"line": 318, "message": "An amount must be more than zero."}]
    page = falun.get(url("import_preview", report, import_pk=upload.pk))
    assert "Line 318: An amount must be more than zero." in page.content.decode()
    assert "/confirm/" not in page.content.decode()
    response = _confirm(falun, report, upload)
    assert response.status_code == 400
    assert Expenditure.objects.filter(report=report).count() == 0
    # The same file fixed: 500 rows, one confirmation.
    rows[316][4] = "12"
    fixed = _import_of(_upload(falun, report, "costs.csv", csv_bytes([HEADER, *rows])))
    assert fixed.errors == [] and len(fixed.rows) == 500
    assert Expenditure.objects.filter(report=report).count() == 0  # nothing before confirming
    assert _confirm(falun, report, fixed).status_code == 302
    assert Expenditure.objects.filter(report=report, imported_from=fixed).count() == 500
    # Confirming twice imports once.
    fixed.refresh_from_db()
    assert fixed.status == ExpenditureImport.Status.CONFIRMED
    again = falun.post(url("import_confirm", report, import_pk=fixed.pk), {"version": 0})
    assert again.status_code == 302
    assert Expenditure.objects.filter(report=report).count() == 500


def test_an_xlsx_with_one_bad_row_among_500_is_refused_then_imported_when_fixed(falun, report):
    day = report.period_start
    rows = [[day, f"Logi {n}", "accommodation", "SEK", 99.5, None] for n in range(500)]
    rows[41][0] = day - timedelta(days=1)  # line 43: paid before the period
    upload = _import_of(_upload(falun, report, "costs.xlsx", xlsx_bytes([HEADER, *rows])))
    assert [e["line"] for e in upload.errors] == [43]
    assert "outside the report's period" in upload.errors[0]["message"]
    assert _confirm(falun, report, upload).status_code == 400
    assert not Expenditure.objects.filter(report=report).exists()
    rows[41][0] = day
    fixed = _import_of(_upload(falun, report, "costs.xlsx", xlsx_bytes([HEADER, *rows])))
    assert fixed.errors == []
    assert _confirm(falun, report, fixed).status_code == 302
    assert Expenditure.objects.filter(report=report).count() == 500
    assert Expenditure.objects.filter(report=report).first().amount_sek == Decimal("99.50")


def test_an_ineligible_cost_in_a_file_is_refused_with_the_reason(falun, report):
    rows = good_rows(report, 3)
    rows[1][2] = "Salaries"  # the English name of an ineligible category
    upload = _import_of(_upload(falun, report, "c.csv", csv_bytes([HEADER, *rows], delimiter=",")))
    assert [e["line"] for e in upload.errors] == [3]
    assert "is not an eligible cost" in upload.errors[0]["message"]


def test_a_file_over_the_ceiling_names_the_row_that_goes_over(falun, report):
    rows = good_rows(report, 3, amount="100000")  # inception: SEK 220 000 over the agreement
    upload = _import_of(_upload(falun, report, "c.csv", csv_bytes([HEADER, *rows])))
    assert [e["line"] for e in upload.errors] == [4]
    assert "above the ceiling" in upload.errors[0]["message"]


def test_foreign_amounts_take_the_latest_recorded_rate_or_the_banks(falun, report):
    day = report.period_start
    ExchangeRate.objects.create(currency="EUR", on=day - timedelta(days=3), rate=Decimal("11.2"))
    ExchangeRate.objects.create(currency="EUR", on=day + timedelta(days=5), rate=Decimal("12"))
    rows = [
        [day.isoformat(), "Hotell", "accommodation", "EUR", "100,005", ""],
        [day.isoformat(), "Hotell", "accommodation", "EUR", "100,01", ""],
        [day.isoformat(), "Tolk", "interpretation", "EUR", "10", "11,5"],
        [day.isoformat(), "Buss", "local-travel", "UAH", "100", ""],
    ]
    upload = _import_of(_upload(falun, report, "c.csv", csv_bytes([HEADER, *rows])))
    lines = {e["line"]: e["message"] for e in upload.errors}
    assert "at most two decimals" in lines[2]
    assert "No rate for UAH" in lines[5]
    assert 3 not in lines and 4 not in lines
    by_line = {r["line"]: r for r in upload.rows}
    assert Decimal(by_line[3]["rate"]) == Decimal("11.2") and by_line[3]["amount_sek"] == "1120.11"
    assert by_line[3]["rate_date"] == (day - timedelta(days=3)).isoformat()
    assert by_line[4]["rate"] == "11.5" and by_line[4]["rate_date"] == day.isoformat()


@pytest.mark.parametrize("language", ["sv", "uk", "en"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_in_each_language_imports_back_cleanly(falun, report, language, fmt):
    template = url("import_template", report, fmt=fmt, lang=language)
    response = falun.get(template)
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    upload = _import_of(_upload(falun, report, f"template.{fmt}", data))
    assert upload.errors == [], upload.errors
    assert len(upload.rows) == 1 and upload.rows[0]["amount_sek"] == "1355.63"


def test_another_template_format_is_not_found(falun, report):
    assert falun.get(url("import_template", report, fmt="ods")).status_code == 404


def test_files_that_are_no_table_are_refused_with_a_message(falun, report):
    macro = xlsx_bytes([HEADER])
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(macro)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00macro")
    response = _upload(falun, report, "m.xlsx", buffer.getvalue())
    assert response.status_code == 400 and "macros" in response.content.decode()
    latin = "Paid on;Description\n2026-01-01;Café".encode("latin-1")
    response = _upload(falun, report, "l.csv", latin)
    assert response.status_code == 400 and "UTF-8" in response.content.decode()
    assert ExpenditureImport.objects.filter(report=report).count() == 0


def test_ukrainian_headings_and_decimal_points_are_read(falun, report):
    header = ["Дата оплати", "Опис", "Категорія витрат", "Валюта", "Сума"]
    day = report.period_start.isoformat()
    rows = [[day, "Віза", "visas", "SEK", "1,234.50"]]
    upload = _import_of(_upload(falun, report, "u.csv", csv_bytes([header, *rows], bom=False)))
    assert upload.errors == [] and upload.rows[0]["amount"] == "1234.50"


def test_discarded_files_are_never_imported(falun, report):
    upload = _import_of(_upload(falun, report, "c.csv", csv_bytes([HEADER, *good_rows(report, 2)])))
    assert falun.post(url("import_discard", report, import_pk=upload.pk)).status_code == 302
    assert _confirm(falun, report, upload).status_code == 400
    assert not Expenditure.objects.filter(report=report).exists()


def test_a_confirmation_after_the_report_changed_is_refused(falun, report):
    upload = _import_of(_upload(falun, report, "c.csv", csv_bytes([HEADER, *good_rows(report, 2)])))
    stale = report.version
    services.expenditure_add(
        report=report,
        version=report.version,
        values={
            "paid_on": report.period_start.isoformat(),
            "description": "x",
            "category": "travel",
            "currency": "SEK",
            "amount": "5",
        },
        actor=User.objects.get(email="falun@demo.example"),
    )
    response = falun.post(url("import_confirm", report, import_pk=upload.pk), {"version": stale})
    assert response.status_code == 409
    assert Expenditure.objects.filter(report=report).count() == 1
