"""The notifications in Chromium at 360 px: the phone menu shows the unread count with its
label, the list and the settings page have zero axe-core violations in three languages and fit
a phone, following a notification marks it read and the count goes down."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils import timezone

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.notifications.demo import WELCOME
from partnernet.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LABELS = {
    "sv": "Aviseringar, 2 olästa",
    "uk": "Сповіщення, 2 непрочитані",
    "en": "Notifications, 2 unread",
}


def test_the_phone_menu_counts_the_unread_and_the_pages_are_accessible(page, live_server):
    person = User.objects.get(email="falun@demo.example")
    Notification.objects.filter(recipient=person).delete()
    for _ in range(2):
        Notification.objects.create(
            recipient=person,
            subject=str(WELCOME.subject),
            body=WELCOME.body_ids(),
            params=WELCOME.params_by_language(),
            link="/me/",
            created_at=timezone.now(),
        )
    client = sign_in(Client(), person)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 360, "height": 740})
    axe = Axe()
    for lang, label in LABELS.items():
        for path in (f"/{lang}/notifications/", f"/{lang}/notifications/settings/"):
            page.goto(path)
            result = axe.run(page)
            assert result.violations_count == 0, f"{path}: {result.generate_report()}"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{path} scrolls sideways ({width}px)"
        page.locator("header .menu-toggle").click()
        item = page.get_by_role("link", name=label)
        assert item.is_visible()
    page.goto("/en/notifications/")
    page.locator("main .notification a").first.click()
    page.wait_for_url("**/en/me/")
    page.locator("header .menu-toggle").click()
    assert page.get_by_role("link", name="Notifications, 1 unread").is_visible()
