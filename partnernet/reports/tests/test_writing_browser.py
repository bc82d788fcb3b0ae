"""A report in Chromium: Ronneby's coordinator writes in Swedish and Ternopil's in Ukrainian
(autosaved, each on their own page at the same time), Ternopil submits, the officer returns it
with a comment on one section, Ronneby corrects it and submits again, the officer approves.
The report page has zero axe-core violations in three languages at 360 px in every state, and
never scrolls sideways."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from partnernet.reports.models import Report, ReportState, ReviewComment
from partnernet.reports.tests.browser_helpers import signed_in_page, write

from .writing_fixtures import report_of, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PAIR = "ronneby-ternopil"
LANGS = ("sv", "uk", "en")


def check_page(page, report: Report, problems: list[str], axe: Axe, who: str) -> None:
    for lang in LANGS:
        url = f"/{lang}/partnerships/{PAIR}/work/reports/{report.pk}/"
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == lang
        result = axe.run(page)
        if result.violations_count:
            problems.append(f"{who} {report.state} {url}: {result.generate_report()}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            problems.append(f"{who} {report.state} {url} scrolls sideways ({width}px)")


def test_ronneby_and_ternopil_write_submit_correct_and_get_approved(browser, live_server):
    report = report_of(PAIR, title="Halvårsrapport 2026")
    ronneby = signed_in_page(browser, live_server, "ronneby@demo.example")
    ternopil = signed_in_page(browser, live_server, "ternopil@demo.example")
    officer = signed_in_page(browser, live_server, "officer@icld.example")
    address = f"/{{lang}}/partnerships/{PAIR}/work/reports/{report.pk}/"
    axe, problems = Axe(), []
    check_page(ronneby, report, problems, axe, "ronneby")
    # Both open the page, then write different sections at the same time.
    ronneby.goto(address.format(lang="sv"))
    ternopil.goto(address.format(lang="uk"))
    for key in ("summary", "results", "lessons", "finances"):
        write(ronneby, f"{key}_sv", f"Ronneby skriver om {key}.")
    ternopil.select_option("#id_activities_source", "uk")
    write(ternopil, "activities_uk", "Тернопіль провів три семінари.")
    assert section(report, "summary").text_sv == "Ronneby skriver om summary."
    activities = section(report, "activities")
    assert activities.text_uk == "Тернопіль провів три семінари."
    assert activities.source_language == "uk"
    assert not section(report, "activities").text_sv  # nobody overwrote the other
    # Ternopil submits.
    ternopil.goto(address.format(lang="uk"))
    ternopil.locator("#submit button[type=submit]").click()
    ternopil.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    check_page(officer, report, problems, axe, "officer")
    # The officer returns it with a comment on the results.
    officer.goto(address.format(lang="en"))
    officer.fill("#id_comment_results", "Please describe what changed for the residents.")
    officer.locator("input[name=decision][value=return]").check()
    officer.locator("#review button[type=submit]").click()
    officer.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    assert ReviewComment.objects.get(report=report).part == "results"
    check_page(ronneby, report, problems, axe, "ronneby")
    # Ronneby sees the comment beside the section, corrects it and submits again.
    ronneby.goto(address.format(lang="sv"))
    note = ronneby.locator("#section-results .review-notes").inner_text()
    assert "Please describe what changed for the residents." in note
    write(ronneby, "results_sv", "Invånarna i Ternopil får snabbare svar från kommunen.")
    ronneby.locator("#submit button[type=submit]").click()
    ronneby.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    # The officer approves.
    officer.goto(address.format(lang="sv"))
    officer.locator("input[name=decision][value=approve]").check()
    officer.locator("#review button[type=submit]").click()
    officer.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    assert section(report, "results").text_sv == (
        "Invånarna i Ternopil får snabbare svar från kommunen."
    )
    check_page(ternopil, report, problems, axe, "ternopil")
    check_page(officer, report, problems, axe, "officer")
    assert problems == [], "\n".join(problems)
