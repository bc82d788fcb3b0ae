"""The start page in Chromium at 360 px: a Ukrainian coordinator signs in at `/accounts/login/`
and lands on `/uk/me/`; the start page has zero axe-core violations in three languages for a
coordinator and an officer, fits a phone; the language switch of an unprefixed page works."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long passphrase for the browser"


def test_a_ukrainian_coordinator_lands_on_the_ukrainian_start_page(page, live_server):
    User.objects.filter(email="kherson@demo.example").update(
        preferred_language="uk", password=make_password(PASSWORD)
    )
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/accounts/login/")
    page.locator("input[name=email]").fill("kherson@demo.example")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/uk/me/")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.locator("h1").inner_text() == "Моя стартова сторінка"
    # An unprefixed page follows the person's language; its switch changes it.
    page.goto("/accounts/")
    assert page.locator("html").get_attribute("lang") == "uk"
    page.locator("header .menu-toggle").click()  # at 360 px the switch is in the menu
    page.locator("header .langs button[value=en]").click()
    page.wait_for_url("**/accounts/")
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("email", ["falun@demo.example", "officer@icld.example"])
def test_the_start_page_is_accessible_and_fits_a_phone(page, live_server, email):
    client = sign_in(Client(), User.objects.get(email=email))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 360, "height": 740})
    axe = Axe()
    for lang in ("sv", "uk", "en"):
        page.goto(f"/{lang}/me/")
        assert page.locator("html").get_attribute("lang") == lang
        result = axe.run(page)
        assert result.violations_count == 0, f"/{lang}/me/: {result.generate_report()}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"/{lang}/me/ scrolls sideways ({width}px)"
    page.goto("/accounts/")
    result = axe.run(page)
    assert result.violations_count == 0, f"/accounts/: {result.generate_report()}"
