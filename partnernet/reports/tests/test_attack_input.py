"""Attacks with odd input on the finances and results forms: numbers that are huge, negative,
not finite or written with an exponent, impossible dates, empty and enormous texts, NUL bytes,
and files that are not what they claim (wrong encoding, zip bombs, formulas, headings twice or
missing). Each is refused with a message (400) or read correctly; never a 500, nothing saved
that the person did not mean."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnernet.reports import expenditure_import as rows
from partnernet.reports.models import Expenditure, ExpenditureImport
from partnernet.reports.services.indicators import parse_value

from .finances_helpers import HEADER, client_of, csv_bytes, good_rows, own_report, url, xlsx_bytes

pytestmark = pytest.mark.django_db

NUMBERS = [
    "1e309",
    "1E+5000",
    "1e999999999",
    "-1e999999999",
    "9" * 31,
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "-5",
    "0",
    "1e-999999999",
    "0x10",
]


@pytest.fixture
def report():
    return own_report()


@pytest.fixture
def falun():
    c = client_of("falun@demo.example")
    c.raise_request_exception = False
    return c


def _expenditure(report, **overrides):
    values = {
        "paid_on": report.period_start.isoformat(),
        "description": "Train tickets",
        "category": "travel",
        "budget_line": "",
        "currency": "SEK",
        "amount": "100",
        "rate": "",
        "rate_date": "",
    }
    values.update(overrides)
    return values


def _post_expenditure(client, report, **overrides):
    from partnernet.grants.models import CostCategory

    values = _expenditure(report, **overrides)
    if values["category"] == "travel":
        values["category"] = str(CostCategory.objects.get(slug="travel").pk)
    report.refresh_from_db()
    return client.post(url("expenditure_add", report), {**values, "version": report.version})


# Pure parsers never raise on any text --------------------------------------------------------
@pytest.mark.parametrize("text", NUMBERS)
def test_an_amount_of_any_spelling_is_refused_or_sane_never_an_exception(text):
    problems: list[str] = []
    amount = rows._check_amount(text, problems)
    assert amount is None or (0 < amount < 10**10)
    assert amount is not None or problems


@pytest.mark.parametrize("text", NUMBERS)
def test_a_budget_line_of_any_spelling_is_refused_never_an_exception(text, report):
    ctx = rows.RowContext(
        period_start=report.period_start, period_end=report.period_end, categories={}
    )
    problems: list[str] = []
    rows._check_category("", text, ctx, problems)
    assert problems


@pytest.mark.parametrize("text", NUMBERS)
def test_an_indicator_value_of_any_spelling_fits_the_column_or_is_refused(text):
    from django.core.exceptions import ValidationError

    try:
        value = parse_value(text)
    except ValidationError:
        return
    # The column holds 12 digits before the sign and 2 after (max_digits=14).
    assert value is None or abs(value) < 10**12


@pytest.mark.parametrize(
    "text", ["0001-01-01", "9999-12-31", "2026-02-30", "31.02.2026", "2026-13-01", "", " "]
)
def test_impossible_or_far_dates_are_refused_with_a_message(text, report):
    ctx = rows.RowContext(
        period_start=report.period_start, period_end=report.period_end, categories={}
    )
    problems: list[str] = []
    assert rows._check_date(text, ctx, problems) is None
    assert problems


# The single form --------------------------------------------------------------------------
@pytest.mark.parametrize("amount", NUMBERS)
def test_odd_amounts_on_the_form_are_refused_and_nothing_is_saved(amount, report, falun):
    response = _post_expenditure(falun, report, amount=amount)
    assert response.status_code == 400
    assert not Expenditure.objects.filter(report=report).exists()


@pytest.mark.parametrize("rate", ["1e309", "1e999999999", "NaN", "-1", "0", "9" * 31])
def test_odd_rates_are_refused(rate, report, falun):
    response = _post_expenditure(falun, report, currency="EUR", rate=rate)
    assert response.status_code == 400
    assert not Expenditure.objects.filter(report=report).exists()


@pytest.mark.parametrize(
    "description",
    ["", "   ", "\t\n", "x" * 100_000, "Tåg\x00biljett", "\u202egnp.exe", "a\u200f\u200e"],
)
def test_odd_descriptions_are_refused_or_kept_clean(description, report, falun):
    response = _post_expenditure(falun, report, description=description)
    assert response.status_code in (302, 400)
    for saved in Expenditure.objects.filter(report=report):
        assert "\x00" not in saved.description
        assert saved.description.strip()
        assert len(saved.description) <= rows.MAX_DESCRIPTION


@pytest.mark.parametrize("paid_on", ["0001-01-01", "9999-12-31", "2026-02-30", "x" * 1000])
def test_odd_payment_dates_on_the_form_are_refused(paid_on, report, falun):
    response = _post_expenditure(falun, report, paid_on=paid_on)
    assert response.status_code == 400
    assert not Expenditure.objects.filter(report=report).exists()


def test_a_form_posted_with_nothing_at_all_is_refused_not_a_500(report, falun):
    response = falun.post(url("expenditure_add", report), {})
    assert response.status_code in (400, 409)
    response = falun.post(url("expenditure_add", report), {"version": "abc", "amount": "1"})
    assert response.status_code in (400, 409)


# Indicator values -------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["1e20", "1e309", "NaN", "Infinity", "9" * 31])
def test_odd_indicator_values_are_refused_not_a_500(value, falun):
    from .test_attack_access import plan_with_indicator

    report, indicator = plan_with_indicator()
    report.refresh_from_db()
    response = falun.post(
        url("indicators_save", report, lang="sv"),
        {"version": report.version, f"value-{indicator.pk}": value, f"comment-{indicator.pk}": ""},
    )
    assert response.status_code == 400, response.status_code
    assert not report.indicator_values.exclude(value=None).exists()


def test_an_indicator_comment_with_a_nul_byte_is_not_a_500(falun):
    from .test_attack_access import plan_with_indicator

    report, indicator = plan_with_indicator()
    report.refresh_from_db()
    response = falun.post(
        url("indicators_save", report, lang="sv"),
        {
            "version": report.version,
            f"value-{indicator.pk}": "3",
            f"comment-{indicator.pk}": "ok\x00then",
        },
    )
    assert response.status_code in (302, 400)
    assert all("\x00" not in v.comment for v in report.indicator_values.all())


# Files --------------------------------------------------------------------------------------
def _upload(client, report, name: str, data: bytes, content_type: str = "text/csv"):
    return client.post(
        url("import", report), {"file": SimpleUploadedFile(name, data, content_type=content_type)}
    )


def _refused(response, report):
    assert response.status_code == 400, response.status_code
    assert not ExpenditureImport.objects.filter(report=report).exists()
    assert not Expenditure.objects.filter(report=report).exists()


def test_a_file_of_10_001_rows_is_refused_whole(report, falun):
    data = csv_bytes([HEADER, *good_rows(report, rows.MAX_ROWS + 1, amount="1")])
    _refused(_upload(falun, report, "many.csv", data), report)


def test_a_50_mb_file_is_refused(report, falun, settings):
    data = b"a;b\n" * (50 * 1024 * 1024 // 4)
    response = _upload(falun, report, "big.csv", data)
    assert response.status_code in (400, 413)
    assert not ExpenditureImport.objects.filter(report=report).exists()


@pytest.mark.parametrize("text,expected", [("1_000", "1000"), ("١٢٣", "123")])
def test_digits_python_reads_but_people_rarely_type_are_read_as_their_value(text, expected):
    problems: list[str] = []
    assert rows._check_amount(text, problems) == Decimal(expected)


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b"A" * (300 * 1024 * 1024))
    return out.getvalue()


def test_a_zip_bomb_renamed_xlsx_is_refused_without_unpacking_it(report, falun):
    data = _bomb()
    assert len(data) < rows.MAX_BYTES
    _refused(
        _upload(falun, report, "bomb.xlsx", data, "application/vnd.ms-excel"),
        report,
    )


@pytest.mark.parametrize(
    "encoding,text",
    [("utf-16", "Beskrivning"), ("cp1252", "Tågbiljett"), ("utf-32", "x")],
)
def test_a_csv_in_another_encoding_is_refused_with_a_message(encoding, text, report, falun):
    day = report.period_start.isoformat()
    body = ";".join(HEADER) + "\n" + f"{day};{text};travel;SEK;10;\n"
    response = _upload(falun, report, "x.csv", body.encode(encoding))
    _refused(response, report)
    assert "UTF-8" in response.content.decode() or "CSV" in response.content.decode()


@pytest.mark.parametrize(
    "header",
    [
        [*HEADER, "Description"],  # a heading twice
        HEADER[1:],  # the date missing
        [*HEADER, "Secret column"],  # a column nobody knows
        ["", "", ""],
    ],
)
def test_bad_headings_are_refused_with_line_one_named(header, report, falun):
    day = report.period_start.isoformat()
    data = csv_bytes([header, [day, "x", "travel", "SEK", "10", "", "y"]])
    response = _upload(falun, report, "x.csv", data)
    assert response.status_code in (302, 400)
    upload = ExpenditureImport.objects.filter(report=report).first()
    if upload is not None:
        assert upload.errors
    assert not Expenditure.objects.filter(report=report).exists()


def test_an_xlsx_with_formulas_is_not_evaluated_into_amounts(report, falun):
    day = report.period_start
    data = xlsx_bytes([HEADER, [day, '=HYPERLINK("http://x","y")', "travel", "SEK", "=1+1", ""]])
    response = _upload(falun, report, "f.xlsx", data, "application/octet-stream")
    assert response.status_code in (302, 400)
    assert not Expenditure.objects.filter(report=report).exists()


@pytest.mark.parametrize(
    "name", ["a\x00b.csv", "\u202egnp.csv", "x" * 5000 + ".csv", "../../etc/passwd", ""]
)
def test_odd_file_names_are_not_a_500(name, report, falun):
    data = csv_bytes([HEADER, *good_rows(report, 1)])
    response = _upload(falun, report, name or "x", data)
    assert response.status_code in (302, 400)


def test_wrong_content_type_post_is_not_a_500(report, falun):
    response = falun.post(url("import", report), data=b"{}", content_type="application/json")
    assert response.status_code == 400
    response = falun.post(
        url("expenditure_add", report), data=b"\xff\xfe", content_type="text/plain"
    )
    assert response.status_code in (400, 409)


def test_a_date_at_the_edge_of_the_period_is_taken_and_one_day_after_refused(report, falun):
    ok = _post_expenditure(falun, report, paid_on=report.period_end.isoformat())
    assert ok.status_code == 302
    late = _post_expenditure(
        falun, report, paid_on=(report.period_end + timedelta(days=1)).isoformat()
    )
    assert late.status_code == 400


# Receipts -----------------------------------------------------------------------------------
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    "name,title,language",
    [
        ("kvitto\x00.pdf", "Kvitto", "sv"),
        ("\u202efdp.exe", "Kvitto", "sv"),
        ("k" * 5000 + ".pdf", "Kvitto", "sv"),
        ("kvitto.pdf", "Kvi\x00tto", "sv"),
        ("kvitto.pdf", "x" * 100_000, "sv"),
        ("kvitto.pdf", "Kvitto", "klingon"),
        ("kvitto.pdf", "   ", ""),
    ],
)
def test_odd_receipts_are_refused_or_stored_clean_never_a_500(name, title, language, report, falun):
    _post_expenditure(falun, report)
    expenditure = Expenditure.objects.get(report=report)
    report.refresh_from_db()
    response = falun.post(
        url("receipt_add", report, expenditure_pk=expenditure.pk),
        {
            "version": report.version,
            "file": SimpleUploadedFile(name, PDF, content_type="application/pdf"),
            "title": title,
            "language": language,
        },
    )
    assert response.status_code in (302, 400), response.status_code
    for document in expenditure.receipts.all():
        assert "\x00" not in document.title
        assert document.title.strip()


def test_a_receipt_with_a_junk_document_id_is_refused(report, falun):
    _post_expenditure(falun, report)
    expenditure = Expenditure.objects.get(report=report)
    report.refresh_from_db()
    for junk in ("abc", "-1", "9" * 31, "0"):
        response = falun.post(
            url("receipt_add", report, expenditure_pk=expenditure.pk),
            {"version": report.version, "document": junk},
        )
        assert response.status_code == 400, junk
    assert not expenditure.receipts.exists()


# The plan's indicators share the number rule (`parse_value`) ------------------------------
@pytest.mark.parametrize(
    "field,value",
    [
        ("baseline_value", "1e20"),
        ("baseline_value", "1e999999999"),
        ("baseline_value", "NaN"),
        ("target_value_0", "1e20"),
        ("target_value_0", "-Infinity"),
        ("baseline_date", "0001-02-30"),
        ("target_year_0", "99999999999999999999"),
    ],
)
def test_odd_numbers_in_a_plan_indicator_are_refused_not_a_500(field, value, report, falun):
    from django.urls import reverse
    from django.utils import translation

    from partnernet.reports.models import PlanIndicator, PlanStatement, ResultsPlan

    plan = ResultsPlan.objects.create(partnership=report.partnership, component="project")
    statement = PlanStatement.objects.create(plan=plan, level="objective", text="Objective")
    data = {
        "version": plan.version,
        "name": "People trained",
        "unit": "people",
        "baseline_value": "0",
        "target_year_0": "2027",
        "target_value_0": "10",
        field: value,
    }
    with translation.override("sv"):
        address = reverse(
            "results:indicator_add",
            kwargs={"slug": report.partnership.slug, "pk": plan.pk, "statement_pk": statement.pk},
        )
    response = falun.post(address, data)
    assert response.status_code == 400, response.status_code
    assert not PlanIndicator.objects.filter(statement=statement).exists()


@pytest.mark.parametrize("paid_on", ["2026-02-30", "0000-01-01", "99999-01-01", "abc"])
def test_impossible_reimbursement_dates_are_refused(paid_on):
    from partnernet.reports.models import Reimbursement, Report

    report = own_report()
    Report.objects.filter(pk=report.pk).update(state="approved")
    finance = client_of("finance@icld.example")
    finance.raise_request_exception = False
    response = finance.post(
        url("reimburse", report), {"amount": "1", "paid_on": paid_on, "reference": "R"}
    )
    assert response.status_code == 400
    assert not Reimbursement.objects.filter(report=report).exists()
