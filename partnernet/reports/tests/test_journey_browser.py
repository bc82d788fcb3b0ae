"""Issue 14's must-show journey in Chromium, every page at 360 px and checked with axe-core.

Ronneby's coordinator (in Swedish) writes a section, enters one indicator value and an
expenditure paid in EUR with a receipt; Ternopil's coordinator (in Ukrainian) writes another
section and the missing indicator values, submits, is refused with the problems listed, writes
what is missing and submits. The programme officer (in English) returns the report with a
comment on the indicator values; Ternopil corrects one and submits again; the officer
approves; the finance officer records the reimbursement. Between the steps the programme
dashboard's figures are read off the page and compared with the amounts typed in: waiting for
review +1 then −1, reported + the report's costs, reimbursed + the amount, remaining − it.

Then the pages of issue 14 no other browser test walks (the reimbursement form, an
expenditure's page and its removal page, the report page listing why it cannot be submitted)
in sv, uk and en. The others are walked by test_plan_browser (results plan, plan version and
edit, indicators), test_schedule_browser (report list, add, due date), test_writing_browser
(report page in each state), test_finances_browser (finances, import form and preview) and
test_programme_browser (dashboard, budget, the network page's key figures)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from partnernet.documents import samples
from partnernet.grants.models import CostCategory
from partnernet.reports.models import (
    Expenditure,
    IndicatorValue,
    PlanIndicator,
    PlanState,
    Reimbursement,
    Report,
    ReportSection,
    ReportState,
    ReviewComment,
)

from .browser_helpers import page_problems, signed_in_page, write

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PAIR = "ronneby-ternopil"
LANGS = ("sv", "uk", "en")
EUR, RATE = Decimal("1240"), Decimal("11.25")  # typed as "1 240,00" and "11,25"
PAID = Decimal("13500")  # the reimbursement, less than the costs on purpose


def _demo_report() -> tuple[Report, list[PlanIndicator]]:
    """The demo's draft, overdue annual report of Ronneby–Ternopil, emptied: no text, no
    indicator values, no costs (the demo fills them; the journey types them)."""
    report = Report.objects.get(partnership__slug=PAIR, state=ReportState.DRAFT)
    ReportSection.objects.filter(report=report).delete()
    IndicatorValue.objects.filter(report=report).delete()
    Expenditure.objects.filter(report=report).delete()
    indicators = list(
        PlanIndicator.objects.filter(
            statement__plan__partnership=report.partnership,
            statement__plan__state=PlanState.APPROVED,
        ).order_by("order", "pk")
    )
    assert len(indicators) >= 2
    return report, indicators


def _sek(text: str) -> Decimal:
    """An amount as the English page shows it ("SEK 1,234,567", "−SEK 5")."""
    digits = re.sub(r"[^0-9.]", "", text)
    return -Decimal(digits) if "−" in text or "-" in text else Decimal(digits)


def figures(page) -> dict[str, Decimal]:
    """The programme dashboard's money and reports waiting for review, read off the page."""
    page.goto("/en/programme/")
    found = {
        key: _sek(page.locator(f'[data-figure="{key}"]').inner_text())
        for key in ("granted", "reported", "reimbursed", "remaining")
    }
    row = page.locator('table[data-chart="reports"] tr', has_text="Waiting for review")
    found["waiting"] = Decimal(row.locator("td").inner_text().replace(",", ""))
    return found


def test_a_report_written_by_both_sides_returned_corrected_approved_and_reimbursed(
    browser, live_server, tmp_path
):
    report, indicators = _demo_report()
    category = CostCategory.objects.filter(eligible=True).order_by("pk").first()
    ronneby = signed_in_page(browser, live_server, "ronneby@demo.example")
    ternopil = signed_in_page(browser, live_server, "ternopil@demo.example")
    officer = signed_in_page(browser, live_server, "officer@icld.example")
    finance = signed_in_page(browser, live_server, "finance@icld.example")
    axe, problems = Axe(), []

    def check(page, label: str) -> None:
        page_problems(page, axe, label, problems)

    base = f"/{{lang}}/partnerships/{PAIR}/work/reports/{report.pk}/"
    before = figures(officer)
    check(officer, "dashboard")

    # Ronneby, in Swedish: a section, one indicator value, a cost in EUR with its receipt.
    ronneby.goto(base.format(lang="sv"))
    write(ronneby, "summary_sv", "Ronneby och Ternopil har infört en gemensam e-tjänst.")
    ronneby.goto(base.format(lang="sv") + "indicators/")
    ronneby.fill(f"#value-{indicators[0].pk}", "12")
    ronneby.locator("main form button[type=submit]").click()
    ronneby.wait_for_load_state()
    check(ronneby, "indicators (sv)")
    ronneby.goto(base.format(lang="sv") + "finances/")
    ronneby.fill("#id_paid_on", report.period_start.isoformat())
    ronneby.fill("#id_description", "Hotell för delegationen")
    ronneby.select_option("#id_category", str(category.pk))
    ronneby.select_option("#id_currency", "EUR")
    ronneby.fill("#id_amount", "1 240,00")
    ronneby.fill("#id_rate", "11,25")
    ronneby.click("#expenditure-form button[type=submit]")
    ronneby.wait_for_url("**/finances/")
    assert "Hotell för delegationen" in ronneby.locator("main").inner_text()
    check(ronneby, "finances (sv)")
    ronneby.get_by_role("link", name="Ändra Hotell för delegationen").click()
    ronneby.wait_for_load_state()
    receipt = tmp_path / "kvitto.pdf"
    receipt.write_bytes(samples.pdf("Hotell 1240 EUR"))
    ronneby.set_input_files("#receipt-file", str(receipt))
    ronneby.fill("#receipt-title", "Kvitto hotell")
    ronneby.click("#receipt-form button[type=submit]")
    ronneby.wait_for_load_state()
    assert "Kvitto hotell" in ronneby.locator("#receipts-heading ~ ul").inner_text()
    check(ronneby, "expenditure (sv)")
    cost = Expenditure.objects.get(report=report)
    assert (cost.currency, cost.amount, cost.rate) == ("EUR", EUR, RATE)

    # Ternopil, in Ukrainian: another section and the missing indicator values.
    ternopil.goto(base.format(lang="uk"))
    ternopil.select_option("#id_activities_source", "uk")
    write(ternopil, "activities_uk", "Тернопіль провів три семінари для працівників громади.")
    ternopil.goto(base.format(lang="uk") + "indicators/")
    assert ternopil.locator(f"#value-{indicators[0].pk}").input_value() == "12"
    for n, item in enumerate(indicators[1:], start=1):
        ternopil.fill(f"#value-{item.pk}", str(20 + n))
    ternopil.locator("main form button[type=submit]").click()
    ternopil.wait_for_load_state()
    check(ternopil, "indicators (uk)")
    assert IndicatorValue.objects.filter(report=report, value__isnull=False).count() == len(
        indicators
    )

    # The first attempt is refused: three sections are still empty, each one listed.
    ternopil.goto(base.format(lang="uk"))
    ternopil.locator("#submit button[type=submit]").click()
    ternopil.wait_for_load_state()
    listed = ternopil.locator("#submit-errors li").all_inner_texts()
    assert len(listed) == 3, listed
    check(ternopil, "refused submit (uk)")
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    for key in ("results", "lessons", "finances"):
        ternopil.select_option(f"#id_{key}_source", "uk")
        write(ternopil, f"{key}_uk", f"Тернопіль пише про {key}.")
    ternopil.locator("#submit button[type=submit]").click()
    ternopil.wait_for_load_state()
    assert ternopil.locator("#submit-errors").count() == 0
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED

    costs = EUR * RATE  # what was typed: 1 240 EUR at 11.25 SEK
    submitted = figures(officer)
    assert submitted["waiting"] == before["waiting"] + 1
    assert submitted["reported"] == before["reported"] + costs
    assert submitted["reimbursed"] == before["reimbursed"]

    # The officer, in English, returns it with a comment on the indicator values.
    officer.goto(base.format(lang="en"))
    check(officer, "submitted report (en)")
    officer.fill("#id_comment_indicators", "Please check the second indicator's value.")
    officer.locator("input[name=decision][value=return]").check()
    officer.locator("#review button[type=submit]").click()
    officer.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    assert ReviewComment.objects.get(report=report).part == "indicators"
    returned = figures(officer)
    assert returned["waiting"] == before["waiting"]
    assert returned["reported"] == before["reported"]  # a returned report's costs do not count

    # Ternopil sees the comment, corrects the value and submits again.
    ternopil.goto(base.format(lang="uk"))
    assert "Please check the second indicator's value." in ternopil.locator("main").inner_text()
    ternopil.goto(base.format(lang="uk") + "indicators/")
    ternopil.fill(f"#value-{indicators[1].pk}", "30")
    ternopil.locator("main form button[type=submit]").click()
    ternopil.wait_for_load_state()
    ternopil.goto(base.format(lang="uk"))
    check(ternopil, "returned report (uk)")
    ternopil.locator("#submit button[type=submit]").click()
    ternopil.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert IndicatorValue.objects.get(report=report, indicator=indicators[1]).value == 30
    assert figures(officer)["waiting"] == before["waiting"] + 1

    # The officer approves.
    officer.goto(base.format(lang="en"))
    officer.locator("input[name=decision][value=approve]").check()
    officer.locator("#review button[type=submit]").click()
    officer.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    approved = figures(finance)
    assert approved["waiting"] == before["waiting"]
    assert approved["reported"] == before["reported"] + costs
    assert approved["reimbursed"] == before["reimbursed"]

    # The reimbursement form in three languages, then the finance officer records it.
    for lang in LANGS:
        finance.goto(base.format(lang=lang) + "reimbursement/")
        check(finance, f"reimbursement form ({lang})")
    finance.goto(base.format(lang="sv") + "finances/")
    finance.locator("main a[href$='/reimbursement/']").click()
    finance.wait_for_load_state()
    finance.fill("#id_amount", "13 500")  # as the pages write amounts in Swedish
    finance.fill("#id_paid_on", date.today().isoformat())
    finance.fill("#id_reference", "ICLD-2026-RT-1")
    finance.click("#reimburse-form button[type=submit]")
    finance.wait_for_url("**/finances/")
    assert Reimbursement.objects.get(report=report).amount == PAID
    paid = figures(finance)
    assert paid["reimbursed"] == before["reimbursed"] + PAID
    assert paid["remaining"] == before["remaining"] - PAID
    assert paid["granted"] == before["granted"]
    assert paid["reported"] == before["reported"] + costs
    check(finance, "dashboard after")
    finance.goto(base.format(lang="sv") + "reimbursement/")
    assert "ICLD-2026-RT-1" in finance.locator("main").inner_text()
    check(finance, "reimbursement recorded (sv)")
    assert problems == [], "\n".join(problems)


def test_the_pages_no_other_browser_test_walks_are_accessible_and_fit_a_phone(browser, live_server):
    """An expenditure's page and its removal page, the report page listing why it cannot be
    submitted, in sv, uk and en at 360 px (the reimbursement form: in the journey above)."""
    report, _ = _demo_report()
    category = CostCategory.objects.filter(eligible=True).order_by("pk").first()
    cost = Expenditure.objects.create(
        report=report,
        category=category,
        description="Tåg Ronneby–Stockholm",
        paid_on=report.period_start,
        currency="SEK",
        amount=Decimal("8200"),
        rate=Decimal(1),
        rate_date=report.period_start,
        amount_sek=Decimal("8200"),
    )
    page = signed_in_page(browser, live_server, "ronneby@demo.example")
    axe, problems = Axe(), []
    base = f"/{{lang}}/partnerships/{PAIR}/work/reports/{report.pk}/"
    for lang in LANGS:
        for path in (f"finances/{cost.pk}/", f"finances/{cost.pk}/remove/"):
            page.goto(base.format(lang=lang) + path)
            assert page.locator("html").get_attribute("lang") == lang
            page_problems(page, axe, lang, problems)
        page.goto(base.format(lang=lang))
        page.locator("#submit button[type=submit]").click()
        page.wait_for_load_state()
        # Five empty sections, every indicator, the missing receipt.
        assert page.locator("#submit-errors li").count() >= 7
        page_problems(page, axe, f"{lang} refused submit", problems)
    assert problems == [], "\n".join(problems)
