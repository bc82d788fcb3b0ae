"""Two co-writers in Chromium, each on their own page of the same application: nothing typed by
either of them is ever lost. Same section: the second is told to merge, with both texts on the
screen; different sections: both are saved, and each page shows the other's text."""

import re

import pytest
from playwright.sync_api import expect

from ..models import ApplicationSection
from . import factories as f
from .test_browser_lifecycle import sign_in

pytestmark = pytest.mark.browser
SAVED = re.compile(r"\d\d:\d\d:\d\d")


@pytest.fixture(autouse=True)
def _live(live_server):
    """Every test here drives the live server."""


def two_pages(browser, live_server, index: int):
    application, swedish_writer = f.complete_application(f.call(), index=index)
    ukrainian_writer = f.coordinator(application.partner)
    se = sign_in(browser, live_server, swedish_writer, "en")
    ua = sign_in(browser, live_server, ukrainian_writer, "en")
    for tab in (se, ua):
        tab.goto(f"/en/grants/applications/{application.pk}/")
    return application, se, ua


def stored(application, key: str) -> ApplicationSection:
    return application.sections.get(key=key)


def test_two_writers_of_the_same_section_the_second_merges_and_nothing_is_lost(
    browser, live_server
):
    application, se, ua = two_pages(browser, live_server, index=21)
    se.fill("#id_background_en", "Karlskrona: two visits in spring.")
    se.locator("#id_background_en").blur()
    expect(se.locator("#autosave-status")).to_contain_text(SAVED, timeout=10000)

    ua.fill("#id_background_en", "Chortkiv: a youth council first.")
    ua.locator("#id_background_en").blur()
    panel = ua.locator('[data-item="background"] .conflict')
    expect(panel).to_be_visible(timeout=10000)
    # Both texts are on the screen: hers in the field, his in the panel.
    expect(ua.locator("#id_background_en")).to_have_value("Chortkiv: a youth council first.")
    expect(panel).to_contain_text("Karlskrona: two visits in spring.")
    expect(ua.locator("#autosave-status")).to_contain_text("Someone else changed")
    assert stored(application, "background").text_en == "Karlskrona: two visits in spring."
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(ua)  # the merge panel is accessible too
    assert result.violations_count == 0, result.generate_report()

    ua.fill(
        "#id_background_en", "Karlskrona: two visits in spring. Chortkiv: a youth council first."
    )
    panel.locator("button.keep-mine").click()
    expect(panel).to_have_count(0)
    expect(ua.locator("#autosave-status")).to_contain_text(SAVED, timeout=10000)
    for _attempt in range(50):
        if "Chortkiv" in (stored(application, "background").text_en or ""):
            break
        ua.wait_for_timeout(200)
    assert stored(application, "background").text_en == (
        "Karlskrona: two visits in spring. Chortkiv: a youth council first."
    )


def test_two_writers_of_different_sections_at_the_same_time_both_survive(browser, live_server):
    application, se, ua = two_pages(browser, live_server, index=22)
    se.fill("#id_activities_en", "Workshops on open budgets.")
    ua.fill("#id_background_uk", "Громада потребує відкритого бюджету.")
    se.locator("#id_activities_en").blur()
    ua.locator("#id_background_uk").blur()
    for tab in (se, ua):
        expect(tab.locator("#autosave-status")).to_contain_text(SAVED, timeout=10000)
        expect(tab.locator(".conflict")).to_have_count(0)
    assert stored(application, "activities").text_en == "Workshops on open budgets."
    assert stored(application, "background").text_uk == "Громада потребує відкритого бюджету."
    # The next save of each page brings in the other's section, untouched here.
    se.fill("#id_summary_en", "Open budgets.")
    se.locator("#id_summary_en").blur()
    expect(se.locator("#id_background_uk")).to_have_value(
        "Громада потребує відкритого бюджету.", timeout=10000
    )
    assert stored(application, "background").text_uk == "Громада потребує відкритого бюджету."
    assert stored(application, "activities").text_en == "Workshops on open budgets."
