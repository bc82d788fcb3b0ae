"""The programme pages in Chromium: the dashboard, the funder's budget, a refused filter and
the network page's key figures have zero axe-core violations in three languages at 360 px,
and none scrolls sideways."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from partnernet.reports.tests.browser_helpers import signed_in_page

from . import programme_fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGS = ("sv", "uk", "en")


def test_the_programme_pages_are_accessible_and_fit_a_phone(browser, live_server):
    programme_fixture.build()
    page = signed_in_page(browser, live_server, "finance@icld.example")
    paths = [
        "programme/",
        f"programme/?network={programme_fixture.NETWORK}",
        "programme/budget/",
        f"programme/budget/?network={programme_fixture.NETWORK}",
        "programme/?year=1800",
        "networks/democratic-resilience/",
    ]
    axe = Axe()
    problems = []
    for lang in LANGS:
        for path in paths:
            url = f"/{lang}/{path}"
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == lang
            result = axe.run(page)
            if result.violations_count:
                problems.append(f"{url}: {result.generate_report()}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                problems.append(f"{url} scrolls sideways ({width}px)")
    # The filters work without script: choosing the network narrows the figures.
    page.goto("/en/programme/")
    page.select_option("#id_network", programme_fixture.NETWORK)
    page.locator(".programme-filters button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator('[data-figure="granted"]').inner_text() == "SEK\xa0480,000"
    assert problems == [], "\n".join(problems)
