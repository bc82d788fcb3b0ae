"""The application page on a 360 px phone, in Chromium (issue 12.7): a budget line is added and
removed in place with htmx — the page does not reload (a marker set on `window` survives) and
the scroll position is kept —, removing asks first (and a "no" keeps the line), and the section
navigation starts folded. axe finds nothing on the page."""

import pytest
from playwright.sync_api import expect

from ..models import BudgetLine
from . import factories as f
from .test_browser_lifecycle import sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
# The elements that reach past the screen's right edge (to say what widens the page).
WIDE_ELEMENTS = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 362).slice(0, 8)
  .map(e => `${e.tagName}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


@pytest.fixture(autouse=True)
def _live(live_server):
    """Every test here drives the live server."""


def _scroll_y(tab) -> float:
    return tab.evaluate("window.scrollY")


def _top(tab, selector: str) -> float:
    """Where an element is on the screen (pixels from the top of the viewport)."""
    return tab.evaluate(f"document.querySelector('{selector}').getBoundingClientRect().top")


def assert_view_kept(tab, before: float, form_top: float) -> None:
    """The page stayed where the writer was: no jump to the top, and the form they used is
    where it was on the screen (Chromium's scroll anchoring may move the page by the height of
    the row added or removed above it, which keeps the form in place)."""
    assert _scroll_y(tab) > before - 200, (before, _scroll_y(tab))
    assert abs(_top(tab, "#budget-form") - form_top) < 60, (form_top, _top(tab, "#budget-form"))


@pytest.mark.parametrize("language", ["uk", "sv", "en"])
def test_a_budget_line_is_added_and_removed_in_place_at_360_px(browser, live_server, language):
    application, writer = f.complete_application(f.call(), index=40 + len(language), signed=False)
    tab = sign_in(browser, live_server, writer, language)
    tab.set_viewport_size(PHONE)
    tab.goto(f"/{language}/grants/applications/{application.pk}/")
    tab.wait_for_load_state("networkidle")

    # The section navigation is folded on a phone, and opens.
    nav = tab.locator("#section-nav")
    assert nav.evaluate("element => element.open") is False
    tab.locator("#section-nav summary").click()
    expect(tab.locator('#section-nav a[href="#budget"]')).to_be_visible()
    tab.locator("#section-nav summary").click()

    tab.evaluate("window.__partnernetMarker = 'still the same page'")
    tab.evaluate("document.getElementById('budget-form').scrollIntoView({block: 'center'})")
    before, form_top = _scroll_y(tab), _top(tab, "#budget-form")
    assert before > 500  # far down the page: a reload would jump back to the top

    tab.select_option("#id_budget-category", str(f.category("visas").pk))
    tab.fill("#id_budget-description", "Visa fees")
    tab.fill("#id_budget-amount", "4000")
    tab.locator("#budget-form button[type=submit]").click()
    expect(tab.locator("#budget tbody")).to_contain_text("Visa fees")
    expect(tab.locator("#application-status")).not_to_be_empty()
    assert tab.evaluate("window.__partnernetMarker") == "still the same page"
    assert_view_kept(tab, before, form_top)
    assert BudgetLine.objects.filter(application=application, description="Visa fees").exists()
    width = tab.evaluate("document.documentElement.scrollWidth")
    wide = tab.evaluate(WIDE_ELEMENTS)
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px): {wide}"

    # Removing asks first: "no" keeps the line.
    row = tab.locator("#budget tbody tr", has_text="Visa fees")
    tab.once("dialog", lambda dialog: dialog.dismiss())
    row.locator("button[type=submit]").click()
    tab.wait_for_timeout(300)
    expect(tab.locator("#budget tbody")).to_contain_text("Visa fees")
    assert BudgetLine.objects.filter(application=application, description="Visa fees").exists()

    # "Yes" removes it in place.
    before, form_top = _scroll_y(tab), _top(tab, "#budget-form")
    asked = []
    tab.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    row.locator("button[type=submit]").click()
    expect(tab.locator("#budget tbody")).not_to_contain_text("Visa fees")
    assert asked and "Visa fees" in asked[0]
    assert tab.evaluate("window.__partnernetMarker") == "still the same page"
    assert_view_kept(tab, before, form_top)
    assert not BudgetLine.objects.filter(application=application, description="Visa fees").exists()


def test_the_application_page_passes_axe_at_360_px(browser, live_server):
    from axe_playwright_python.sync_playwright import Axe

    application, writer = f.complete_application(f.call(), index=50, signed=False)
    tab = sign_in(browser, live_server, writer, "uk")
    tab.set_viewport_size(PHONE)
    tab.goto(f"/uk/grants/applications/{application.pk}/")
    tab.wait_for_load_state("networkidle")
    result = Axe().run(tab)
    assert result.violations_count == 0, result.generate_report()
    tab.locator("#section-nav summary").click()  # opened, too
    result = Axe().run(tab)
    assert result.violations_count == 0, result.generate_report()


def test_the_decision_letter_and_the_agreement_pass_axe_at_360_px(browser, live_server):
    from decimal import Decimal

    from axe_playwright_python.sync_playwright import Axe

    from .. import services

    application = f.in_review(f.call(), index=51)
    services.application_grant(
        application_id=application.pk,
        actor=f.officer(),
        amount=Decimal(150_000),
        reasons="Ett realistiskt program med tydliga resultat.",
        reasons_language="sv",
    )
    tab = sign_in(browser, live_server, f.coordinator(application.partner), "uk")
    tab.set_viewport_size(PHONE)
    for path in (
        f"/uk/grants/applications/{application.pk}/",
        f"/uk/grants/applications/{application.pk}/decision-letters/partner/",
        f"/uk/grants/applications/{application.pk}/agreement/text/",
    ):
        tab.goto(path)
        tab.wait_for_load_state("networkidle")
        result = Axe().run(tab)
        assert result.violations_count == 0, f"{path}: {result.generate_report()}"
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways ({width}px)"
    tab.goto(f"/uk/grants/applications/{application.pk}/decision-letters/partner/")
    expect(tab.locator("blockquote[lang=sv]")).to_contain_text("Ett realistiskt program")
    expect(tab.locator("article.document")).to_have_attribute("lang", "uk")


def test_on_a_desktop_the_section_navigation_is_open_and_stays_in_view(browser, live_server):
    application, writer = f.complete_application(f.call(), index=52, signed=False)
    tab = sign_in(browser, live_server, writer, "sv")
    tab.set_viewport_size({"width": 1280, "height": 800})
    tab.goto(f"/sv/grants/applications/{application.pk}/")
    tab.wait_for_load_state("networkidle")
    assert tab.locator("#section-nav").evaluate("element => element.open") is True
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    top = _top(tab, ".section-nav")
    assert 0 <= top < 100, top  # sticky: still at the top of the screen
    tab.locator('#section-nav a[href="#budget"]').click()
    expect(tab.locator("#budget")).to_be_in_viewport()
