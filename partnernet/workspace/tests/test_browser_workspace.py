"""The workspace in Chromium: Falun's coordinator plans a visit to Kolomyia (in Swedish), adds
a participant (in English) and marks it done with a short report, public (in Ukrainian); the
public partnership page shows it. Every workspace page has zero axe-core violations in three
languages at 360 px, and none scrolls sideways."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.workspace.models import Activity, ActivityStatus, TeamMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OWN = "falun-kolomyia"
LANGS = ("sv", "uk", "en")


def signed_in_page(browser, live_server, email: str):
    client = sign_in(Client(), User.objects.get(email=email))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    return page


def test_falun_plans_a_visit_to_kolomyia_and_reports_it(browser, live_server):
    page = signed_in_page(browser, live_server, "falun@demo.example")
    base = f"/{{lang}}/partnerships/{OWN}/work"
    # Swedish: plan the visit.
    page.goto(base.format(lang="sv") + "/activities/new/")
    page.select_option("#id_kind", "visit")
    page.fill("#id_title", "Studiebesök i Kolomyja")
    page.select_option("#id_travelling_side", "swedish")
    page.fill("#id_starts_on", "2026-10-05")
    page.fill("#id_ends_on", "2026-10-08")
    page.fill("#id_place", "Kolomyja")
    page.fill("#id_planned_cost", "90000")
    page.locator("#activity-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Studiebesök i Kolomyja"
    assert "Falun besöker Kolomyia" in page.locator("main").inner_text()
    activity = Activity.objects.get(title="Studiebesök i Kolomyja")
    assert activity.travelling_side == "swedish" and activity.status == ActivityStatus.PLANNED
    # English: add a participant from Kolomyia's side.
    kolomyian = TeamMember.objects.filter(partnership=activity.partnership, side="partner").first()
    page.goto(base.format(lang="en") + f"/activities/{activity.pk}/edit/")
    page.locator(f"input[name=participants][value='{kolomyian.pk}']").check()
    page.locator("#activity-form button[type=submit]").click()
    page.wait_for_load_state()
    assert kolomyian.name in page.locator("main").inner_text()
    assert "Falun visits Kolomyia" in page.locator("main").inner_text()
    # Ukrainian: mark it done with a short report, shown on the public page.
    page.goto(base.format(lang="uk") + f"/activities/{activity.pk}/")
    page.fill("#id_done-report", "Делегація Фалуна провела три дні в Коломиї.")
    page.select_option("#id_done-report_language", "uk")
    page.locator("#id_done-is_public").check()
    page.locator("#done-form button[type=submit]").click()
    page.wait_for_load_state()
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DONE and activity.is_public
    assert activity.participants.filter(pk=kolomyian.pk).exists()
    public = browser.new_page(base_url=live_server.url)
    public.goto(f"/uk/partnerships/{OWN}/")
    section = public.locator("section.partnership-done").inner_text()
    assert "Studiebesök i Kolomyja" in section
    assert "Делегація Фалуна провела три дні в Коломиї." in section


def test_every_workspace_page_is_accessible_and_fits_a_phone(browser, live_server):
    page = signed_in_page(browser, live_server, "falun@demo.example")
    activity = Activity.objects.filter(partnership__slug=OWN, status="planned").first()
    done = Activity.objects.filter(partnership__slug=OWN, status="done").first()
    member = TeamMember.objects.filter(partnership__slug=OWN, side="swedish").first()
    paths = [
        "",
        "team/",
        f"team/{member.pk}/remove/",
        "activities/",
        "activities/timeline/",
        "activities/new/",
        f"activities/{activity.pk}/",
        f"activities/{activity.pk}/edit/",
        f"activities/{done.pk}/",
    ]
    axe = Axe()
    problems = []
    for lang in LANGS:
        for path in paths:
            url = f"/{lang}/partnerships/{OWN}/work/{path}"
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == lang
            result = axe.run(page)
            if result.violations_count:
                problems.append(f"{url}: {result.generate_report()}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                problems.append(f"{url} scrolls sideways ({width}px)")
    # A form with errors too (the invitation, the activity).
    page.goto(f"/en/partnerships/{OWN}/work/activities/new/")
    page.locator("#activity-form button[type=submit]").click()
    page.wait_for_load_state()
    result = axe.run(page)
    if result.violations_count:
        problems.append(f"activity form with errors: {result.generate_report()}")
    assert problems == [], "\n".join(problems)
