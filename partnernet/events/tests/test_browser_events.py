"""axe-core finds nothing on the meeting list, a meeting's page (as the public, and as a
registered coordinator who sees the online link and the materials) and the calendar page, in
Swedish, Ukrainian and English, at desktop width and at 360 px."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.core.tests.test_browser_accessibility import share_session
from partnernet.events.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGUAGES = ("sv", "uk", "en")
WIDTHS = {"desktop": (1280, 800), "phone": (360, 740)}
NETWORK = "democratic-resilience"


def _walk(page, urls) -> list[str]:
    axe = Axe()
    found = []
    for name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        for url in urls:
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            page.wait_for_load_state("networkidle")
            result = axe.run(page)
            if result.violations_count:
                rules = sorted({v["id"] for v in result.response["violations"]})
                found.append(f"{url} [{name}]: {', '.join(rules)}")
            # nothing is wider than the phone's screen
            if name == "phone":
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth > document.documentElement.clientWidth"
                )
                assert not overflow, f"{url} scrolls sideways at 360 px"
    return found


def _kick_off() -> Event:
    return Event.objects.get(title_en="Kick-off meeting of the Democratic resilience network")


def test_the_public_meeting_pages_have_no_axe_violations(page, live_server):
    event = _kick_off()
    urls = [
        url
        for lang in LANGUAGES
        for url in (
            f"/{lang}/networks/{NETWORK}/events/",
            f"/{lang}/networks/{NETWORK}/events/{event.pk}/",
        )
    ]
    assert _walk(page, urls) == []


def test_a_registered_coordinator_s_pages_have_no_axe_violations(page, live_server):
    event = _kick_off()
    coordinator = User.objects.get(email="falun@demo.example")
    client = sign_in(Client(), coordinator)
    share_session(page, client, live_server)
    urls = [
        url
        for lang in LANGUAGES
        for url in (
            f"/{lang}/networks/{NETWORK}/events/",
            f"/{lang}/networks/{NETWORK}/events/{event.pk}/",
            f"/{lang}/calendar/",
        )
    ]
    assert _walk(page, urls) == []
    page.goto(f"/en/networks/{NETWORK}/events/{event.pk}/")
    assert page.get_by_text("You are registered.").is_visible()


def test_the_manager_s_pages_have_no_axe_violations(page, live_server):
    event = _kick_off()
    manager = User.objects.get(email="officer@icld.example")
    client = sign_in(Client(), manager)
    share_session(page, client, live_server)
    base = f"/en/networks/{NETWORK}/events"
    urls = [
        f"{base}/{event.pk}/registrations/",
        f"{base}/{event.pk}/edit/",
        f"{base}/new/",
        f"{base}/{event.pk}/materials/",
    ]
    assert _walk(page, urls) == []
