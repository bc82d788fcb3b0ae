"""The finances page and the import preview in Chromium: Falun's coordinator adds a cost and
uploads a file with an error; both pages (and the form with errors) have zero axe-core
violations in three languages at 360 px, and none scrolls sideways."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from partnernet.reports.models import Expenditure, ExpenditureImport
from partnernet.reports.tests.browser_helpers import page_problems, signed_in_page

from .finances_helpers import HEADER, csv_bytes, good_rows, own_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGS = ("sv", "uk", "en")


def test_finances_and_import_preview_in_three_languages(browser, live_server, tmp_path):
    report = own_report()
    page = signed_in_page(browser, live_server, "falun@demo.example")
    base = f"/{{lang}}/partnerships/{report.partnership.slug}/work/reports/{report.pk}/finances/"
    # Add one cost through the form (Swedish).
    page.goto(base.format(lang="sv"))
    page.fill("#id_paid_on", report.period_start.isoformat())
    page.fill("#id_description", "Tågbiljetter")
    page.select_option("#id_category", label="Resor")
    page.fill("#id_amount", "1 200,50")
    page.click("#expenditure-form button[type=submit]")
    page.wait_for_url("**/finances/")
    assert Expenditure.objects.filter(report=report).count() == 1
    rows = good_rows(report, 60)
    rows[10][4] = "0"
    upload = tmp_path / "utgifter.csv"
    upload.write_bytes(csv_bytes([HEADER, *rows]))
    axe = Axe()
    problems: list[str] = []
    for lang in LANGS:
        page.goto(base.format(lang=lang))
        page_problems(page, axe, f"{lang} finances", problems)
        page.goto(base.format(lang=lang) + "import/")
        page_problems(page, axe, f"{lang} import form", problems)
        page.set_input_files("#import-file", str(upload))
        page.click("#import-form button[type=submit]")
        page.wait_for_url("**/import/*/")
        assert "12" in page.inner_text("#errors-heading ~ ul")
        page_problems(page, axe, f"{lang} import preview", problems)
    # A form with errors: an ineligible cost.
    page.goto(base.format(lang="en"))
    page.fill("#id_paid_on", report.period_start.isoformat())
    page.fill("#id_description", "Salary")
    page.select_option("#id_category", label="Salaries (not eligible)")
    page.fill("#id_amount", "100")
    page.click("#expenditure-form button[type=submit]")
    assert "is not an eligible cost" in page.content()
    page_problems(page, axe, "form with errors", problems)
    assert problems == [], "\n".join(problems)
    assert ExpenditureImport.objects.filter(report=report).count() == 3
    assert Expenditure.objects.filter(report=report).count() == 1
