"""What the reports' browser tests share: a phone-sized tab signed in as one person, the
narrative's autosave, and the check every page gets (axe-core, no sideways scroll)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in

WIDTH, HEIGHT = 360, 740


def signed_in_page(browser, live_server, email: str):
    """A new browser context (one per person) at 360 px, signed in as `email`."""
    client = sign_in(Client(), User.objects.get(email=email))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    return page


def write(page, field: str, text: str) -> None:
    """Type into a report section and wait until the autosave has stored it."""
    with page.expect_response(lambda r: r.url.endswith("/save/") and r.status == 200):
        page.fill(f"#id_{field}", text)
        page.locator(f"#id_{field}").blur()


def page_problems(page, axe: Axe, label: str, problems: list[str]) -> None:
    """Add to `problems` the page's axe-core violations and a width beyond the phone's."""
    result = axe.run(page)
    if result.violations_count:
        problems.append(f"{label} {page.url}: {result.generate_report()}")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > WIDTH:
        problems.append(f"{label} {page.url} scrolls sideways ({width}px)")
