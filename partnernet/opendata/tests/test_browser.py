"""The open-data page in Chromium: no axe-core violations in the three languages, 360 px wide."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["sv", "uk", "en"])
def test_open_data_page_is_accessible(browser, live_server, language):  # noqa: F811
    context = browser.new_context(
        base_url=live_server.url, locale=language, viewport={"width": 360, "height": 800}
    )
    tab = context.new_page()
    tab.goto("/open-data/")
    assert tab.locator("html").get_attribute("lang") == language
    result = Axe().run(tab)
    assert result.violations_count == 0, result.generate_report()
    # usable at 360 px: nothing wider than the screen outside the scrollable table
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
