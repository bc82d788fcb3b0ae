"""The token page in Chromium: accessible, and a created token is shown once."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

from .factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_token_page_is_accessible_and_shows_the_new_token(browser, live_server):  # noqa: F811
    client = Client()
    client.force_login(UserFactory(preferred_language="uk"))  # the page follows the person
    context = browser.new_context(base_url=live_server.url, locale="uk")
    context.add_cookies(
        [
            {
                "name": client.cookies["sessionid"].key,
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    tab = context.new_page()
    tab.goto("/api/tokens/")
    tab.get_by_label("Назва токена").fill("reports")
    tab.locator("main form button[type=submit]").first.click()
    tab.wait_for_load_state()
    assert tab.locator("#new-token").input_value().startswith("pn_")
    result = Axe().run(tab)
    assert result.violations_count == 0, result.generate_report()
    context.close()
