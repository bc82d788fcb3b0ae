"""The finances page and the import preview in Chromium: Falun's coordinator adds a cost and
uploads a file with an error; both pages (and the form with errors) have zero axe-core
violations in three languages at 360 px, and none scrolls sideways."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.reports.models import Expenditure, ExpenditureImport

from .finances_helpers import HEADER, csv_bytes, good_rows, own_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGS = ("sv", "uk", "en")


def signed_in_page(browser, live_server, email: str):
    client = sign_in(Client(), User.objects.get(email=email))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    return page


def _check(page, axe, label: str, problems: list[str]) -> None:
    result = axe.run(page)
    if result.violations_count:
        problems.append(f"{label}: {result.generate_report()}")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 360:
        problems.append(f"{label} scrolls sideways ({width}px)")


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
        _check(page, axe, f"{lang} finances", problems)
        page.goto(base.format(lang=lang) + "import/")
        _check(page, axe, f"{lang} import form", problems)
        page.set_input_files("#import-file", str(upload))
        page.click("#import-form button[type=submit]")
        page.wait_for_url("**/import/*/")
        assert "12" in page.inner_text("#errors-heading ~ ul")
        _check(page, axe, f"{lang} import preview", problems)
    # A form with errors: an ineligible cost.
    page.goto(base.format(lang="en"))
    page.fill("#id_paid_on", report.period_start.isoformat())
    page.fill("#id_description", "Salary")
    page.select_option("#id_category", label="Salaries (not eligible)")
    page.fill("#id_amount", "100")
    page.click("#expenditure-form button[type=submit]")
    assert "is not an eligible cost" in page.content()
    _check(page, axe, "form with errors", problems)
    assert problems == [], "\n".join(problems)
    assert ExpenditureImport.objects.filter(report=report).count() == 3
    assert Expenditure.objects.filter(report=report).count() == 1
