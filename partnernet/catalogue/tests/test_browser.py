"""The public pages in Chromium: zero axe-core violations in three languages, filtering with
the keyboard alone, and no horizontal scrolling at 360 px."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PAGES = [
    "/{lang}/partnerships/?area=education&sdg=16&q=demokrati",
    "/{lang}/partnerships/falun-kolomyia/",
    "/{lang}/map/",
    "/{lang}/networks/democratic-resilience/",
    "/{lang}/municipalities/2080/",
    "/{lang}/",
]


def test_filtering_works_with_the_keyboard_alone(page):  # noqa: F811
    page.goto("/en/partnerships/")
    page.wait_for_load_state("networkidle")
    summary = page.locator("details.facet summary", has_text="Cooperation area")
    summary.focus()
    page.keyboard.press("Enter")
    page.locator("#f-area-education").focus()
    page.keyboard.press("Space")
    page.wait_for_url("**area=education**")
    page.wait_for_function("document.querySelectorAll('.results .card').length === 2")
    assert page.locator("#results-heading").inner_text().startswith("2")


def test_the_catalogue_is_usable_at_360_px(page):  # noqa: F811
    page.set_viewport_size({"width": 360, "height": 740})
    for path in (
        "/en/partnerships/?area=education",
        "/uk/partnerships/falun-kolomyia/",
        "/sv/map/",
        "/uk/",
        "/uk/networks/democratic-resilience/",
        "/uk/municipalities/2080/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways ({width}px)"


@pytest.mark.parametrize("language", ["sv", "uk", "en"])
def test_public_pages_have_no_axe_violations(page, language):  # noqa: F811
    axe = Axe()
    for path in PAGES:
        response = page.goto(path.format(lang=language))
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        result = axe.run(page)
        assert result.violations_count == 0, f"{path}: {result.generate_report()}"
