"""axe-core finds nothing on any page (issue 12.7): every public page as the public, and every
page that needs a sign-in as a municipal coordinator and as a verified programme officer, in
Swedish, Ukrainian and English, at desktop width and at 360 px. Plus: on a phone the header's
menu opens from its button and leads to a page by keyboard alone.

The pages come from the URL resolver (`accounts.urlcheck.walk`) with the permission matrix's
sample keys (`accounts/tests/test_permissions.py`: `SAMPLE_PK`, `sample_values`), so a page
added later is walked without anyone listing it: a route is walked for a person when a GET
answers them 200 with HTML (files, feeds, API operations and redirects are not pages)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils import translation

from partnernet.accounts import urlcheck
from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.accounts.tests import matrix
from partnernet.accounts.tests.test_permissions import DEMO_EMAILS, make_samples, sample_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGUAGES = ("sv", "uk", "en")
WIDTHS = {"desktop": (1280, 800), "phone": (360, 740)}
# GETs that change the session the walk runs in (so they are never requested), and why.
NOT_WALKED = {
    "accounts:logout": "signs the walker out",
    "set_language": "changes the walker's language",
    "accounts:sessions_end": "signs the walker out everywhere",
}
PRINCIPALS = [matrix.ANONYMOUS, matrix.COORDINATOR_OWN, matrix.OFFICER]


def routes(language: str) -> list:
    """Every route without an API method, with the language prefix of `language`."""
    with translation.override(language):
        return [
            r
            for r in urlcheck.walk()
            if not urlcheck.is_exempt(r) and not r.methods and r.name not in NOT_WALKED
        ]


def pages_for(client: Client, language: str, samples) -> list[str]:
    """The addresses that answer `client` with an HTML page (200), in `language`."""
    found = []
    for route in routes(language):
        url = route.path(sample_values(route, samples))
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            found.append(url)
    return found


def signed_in_client(principal: str) -> Client:
    return sign_in(Client(), User.objects.get(email=DEMO_EMAILS[principal]))


def share_session(page, client: Client, live_server) -> None:
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


@pytest.mark.engine_independent
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_every_page_has_no_axe_violations(page, live_server, principal):  # noqa: F811
    samples = make_samples()
    public = {lang: pages_for(Client(), lang, samples) for lang in LANGUAGES}
    if principal == matrix.ANONYMOUS:
        walked = public
    else:
        client = signed_in_client(principal)
        share_session(page, client, live_server)
        # The public pages are walked as the public; a signed-in person walks the pages that
        # need a sign-in, and the home page (the header with the signed-in menu).
        walked = {
            lang: [f"/{lang}/"]
            + [url for url in pages_for(client, lang, samples) if url not in public[lang]]
            for lang in LANGUAGES
        }
    assert all(
        len(urls) >= (10 if principal == matrix.ANONYMOUS else 4) for urls in walked.values()
    )
    axe = Axe()
    found = []
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        for lang in LANGUAGES:
            for url in walked[lang]:
                response = page.goto(url)
                assert response is not None and response.status == 200, url
                assert page.url == live_server.url + url, f"{url} went to {page.url}"
                page.wait_for_load_state("networkidle")
                result = axe.run(page)
                if result.violations_count:
                    rules = sorted({v["id"] for v in result.response["violations"]})
                    found.append(f"{url} [{width_name}]: {', '.join(rules)}")
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_phone_the_menu_opens_and_leads_to_a_page_by_keyboard(page, language):  # noqa: F811
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/{language}/")
    page.wait_for_load_state("networkidle")
    toggle = page.locator(".menu-toggle")
    menu = page.locator("#site-menu")
    assert toggle.is_visible() and not menu.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    for _ in range(10):  # skip link, brand, then the menu button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('menu-toggle')"):
            break
    else:
        pytest.fail("the menu button cannot be reached with Tab")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true" and menu.is_visible()
    calls = page.locator("#site-menu a[href$='/calls/']")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href') || ''").endswith("/calls/"):
            break
    else:
        pytest.fail("the calls link cannot be reached with Tab")
    assert calls.is_visible()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{language}/calls/")
    assert page.locator("h1").is_visible()
    # Escape closes the menu again and gives the focus back to its button.
    page.locator(".menu-toggle").click()
    page.keyboard.press("Escape")
    assert page.locator(".menu-toggle").get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('menu-toggle')")


def test_on_a_wide_screen_the_menu_shows_without_a_button(page):  # noqa: F811
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/en/")
    assert page.locator("#site-menu").is_visible()
    assert not page.locator(".menu-toggle").is_visible()


def test_without_script_the_menu_shows_and_a_delete_form_still_sends(browser, live_server):  # noqa: F811
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.set_viewport_size({"width": 360, "height": 740})
    tab.goto("/sv/")
    assert tab.locator("#site-menu").is_visible()
    assert not tab.locator(".menu-toggle").is_visible()
    context.close()


def test_a_form_with_data_confirm_asks_first(page, live_server):  # noqa: F811
    from partnernet.api.services import api_token_create

    owner = User.objects.get(email=DEMO_EMAILS[matrix.COORDINATOR_OWN])
    token, _raw = api_token_create(user=owner, name="phone script")
    share_session(page, signed_in_client(matrix.COORDINATOR_OWN), live_server)
    page.goto("/api/tokens/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("form[data-confirm] button").first.click()
    page.wait_for_timeout(300)
    # The page (and its question) is in the coordinator's language, Swedish.
    assert asked and "Skript som använder den slutar fungera direkt" in asked[0]
    token.refresh_from_db()
    assert token.is_active  # dismissed: nothing was sent
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form[data-confirm] button").first.click()
    page.wait_for_load_state("networkidle")
    token.refresh_from_db()
    assert not token.is_active


def test_the_walk_finds_the_pages_behind_a_sign_in():
    """The walk is not vacuous: it reaches the officer's and the coordinator's own pages."""
    samples = make_samples()
    call = samples.application.call_id
    officer = pages_for(signed_in_client(matrix.OFFICER), "uk", samples)
    for url in (
        f"/uk/grants/calls/{call}/edit/",
        "/uk/grants/calls/new/",
        "/accounts/people/",
        f"/uk/grants/applications/{samples.application.pk}/",
        "/uk/queue/democratic-resilience/suggestions/2080/",
    ):
        assert url in officer, url
    coordinator = pages_for(signed_in_client(matrix.COORDINATOR_OWN), "sv", samples)
    assert f"/sv/grants/applications/{samples.application.pk}/" in coordinator
    assert "/accounts/" in coordinator and "/api/tokens/" in coordinator
    public = pages_for(Client(), "en", samples)
    assert {"/en/calls/", f"/en/calls/{call}/", "/en/accessibility/", "/en/privacy/"} <= set(public)
    assert "/accounts/people/" not in public


def test_a_wide_table_on_a_phone_scrolls_by_keyboard_with_a_visible_cue(page, live_server):  # noqa: F811
    samples = make_samples()
    share_session(page, signed_in_client(matrix.OFFICER), live_server)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/uk/grants/calls/{samples.application.call_id}/")
    region = page.locator(".table-scroll").first
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # wider than the phone
    assert "gradient" in region.evaluate("e => getComputedStyle(e).backgroundImage")  # the cue
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # the page does not
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    for _ in range(20):  # scrolling is smooth: give it a moment (no string eval under the CSP)
        if region.evaluate("e => e.scrollLeft") > 0:
            break
        page.wait_for_timeout(100)
    assert region.evaluate("e => e.scrollLeft") > 0
