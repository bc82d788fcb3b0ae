"""The queue pages in Chromium: zero axe-core violations in three languages, for the public and
for an officer, and no sideways scrolling at 360 px."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from partnernet.accounts.models import Organisation, Role, RoleAssignment, User
from partnernet.accounts.testing import sign_in
from partnernet.matchmaking.models import QueueEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_officer(page, live_server) -> None:  # noqa: F811
    funder = Organisation.objects.get_or_create(name="ICLD browser", kind="funder")[0]
    user = User.objects.create_user("officer-browser@example.org", "a-long-password-1")
    RoleAssignment.objects.create(user=user, role=Role.PROGRAMME_OFFICER, organisation=funder)
    client = sign_in(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_queue_pages_are_accessible_and_fit_a_phone(page, live_server):  # noqa: F811
    axe = Axe()
    page.set_viewport_size({"width": 360, "height": 740})
    paths = ["/{lang}/queue/democratic-resilience/"]
    for lang in ("sv", "uk", "en"):
        for path in paths:
            page.goto(path.format(lang=lang))
            result = axe.run(page)
            assert result.violations_count == 0, f"{path}: {result.generate_report()}"
    sign_in_officer(page, live_server)
    entry = QueueEntry.objects.get(municipality__code="2080")
    officer_paths = [
        "/{lang}/queue/democratic-resilience/",
        f"/{{lang}}/queue/democratic-resilience/entries/{entry.pk}/",
        "/{lang}/queue/democratic-resilience/suggestions/2080/",
        "/{lang}/queue/democratic-resilience/profiles/UA26080070000092582/",
    ]
    for lang in ("sv", "uk", "en"):
        for path in officer_paths:
            page.goto(path.format(lang=lang))
            result = axe.run(page)
            assert result.violations_count == 0, f"{path}: {result.generate_report()}"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{path} scrolls sideways ({width}px)"
