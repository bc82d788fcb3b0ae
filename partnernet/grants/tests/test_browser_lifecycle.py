"""The whole grant lifecycle in Chromium: two coordinators co-write and submit an inception
application, a reviewer scores it, an officer grants it, both partners accept the agreement and
the partnership appears in the public catalogue. Also: typing offline loses nothing."""

import re

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from partnernet.accounts.permissions import requires_two_factor
from partnernet.accounts.testing import one_time_code
from partnernet.partnerships.models import CooperationArea

from ..models import Application, ApplicationSection, State
from . import factories as f

pytestmark = pytest.mark.browser
PASSWORD = "a long test password 123"


@pytest.fixture(autouse=True)
def _demo(live_server):
    """Every test here drives the live server."""


def sign_in(browser, live_server, user, language: str):  # noqa: F811
    """A browser page signed in as `user`: through the real sign-in page when the project has
    one, else with the session cookie of Django's test client."""
    context = browser.new_context(base_url=live_server.url, locale=language)
    tab = context.new_page()
    try:
        login_url = reverse("accounts:login")
    except NoReverseMatch:
        login_url = None
    if login_url:
        code = one_time_code(user) if requires_two_factor(user) else None
        tab.goto(login_url)
        tab.fill("input[name=email]", user.email)
        tab.fill("input[name=password]", PASSWORD)
        tab.locator("main form button[type=submit]").click()
        tab.wait_for_load_state()
        if code:  # staff give their second factor
            tab.fill("input[name=token]", code)
            tab.locator("main form button[type=submit]").click()
            tab.wait_for_load_state()
    else:
        from django.test import Client

        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return tab


def add_team(tab, side: str):
    for role, name in f.INCEPTION_TEAM:
        tab.select_option("#id_team-side", side)
        tab.select_option("#id_team-role", role)
        tab.fill("#id_team-name", f"{name} {side}")
        tab.locator("#team-form button[type=submit]").click()
        # added in place (htmx): wait for the row before filling the form again
        expect(tab.locator("#team tbody")).to_contain_text(f"{name} {side}")


def test_grant_lifecycle_in_the_browser(browser, live_server, tmp_path):  # noqa: F811
    call = f.call()
    swedish, partner = f.pair(7)
    se_writer, ua_writer = f.coordinator(swedish), f.coordinator(partner)
    officer, reviewer = f.officer(), f.reviewer()

    # The Swedish coordinator starts the application and writes the summary in Swedish.
    se = sign_in(browser, live_server, se_writer, "sv")
    se.goto("/sv/grants/")
    se.select_option("#id_call", str(call.pk))
    se.fill("#id_partner_code", partner.code)
    se.select_option("#id_area", str(CooperationArea.objects.get(slug="education").pk))
    se.fill("#id_title", "Demokratisk skola")
    se.locator("form[action$='/applications/start/'] button[type=submit]").click()
    se.wait_for_url(re.compile(r"/sv/grants/applications/\d+/$"))
    application = Application.objects.get(call=call)
    se.fill("#id_summary_sv", "Vi bygger en demokratisk skola tillsammans.")
    se.locator("#id_summary_sv").blur()
    expect(se.locator("#autosave-status")).to_contain_text(
        re.compile(r"\d\d:\d\d:\d\d"), timeout=10000
    )
    add_team(se, "swedish")
    se.select_option("#id_budget-category", str(f.category("travel").pk))
    se.fill("#id_budget-description", "Två besök")
    se.fill("#id_budget-amount", "180000")
    se.locator("#budget-form button[type=submit]").click()
    expect(se.locator("#budget tbody")).to_contain_text("Två besök")
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(f.PDF)
    se.set_input_files("#id_letter", str(letter))
    se.locator("form[action$='/letter/'] button[type=submit]").click()
    se.wait_for_load_state()

    # The Ukrainian coordinator translates the summary, adds their team and submits.
    ua = sign_in(browser, live_server, ua_writer, "uk")
    ua.goto(f"/uk/grants/applications/{application.pk}/")
    ua.fill("#id_summary_uk", "Ми разом будуємо демократичну школу.")
    ua.locator("#id_summary_uk").blur()
    expect(ua.locator("#autosave-status")).to_contain_text(
        re.compile(r"\d\d:\d\d:\d\d"), timeout=10000
    )
    add_team(ua, "partner")
    # Both sign it off (the Ukrainian side first), then it is submitted.
    ua.locator("#sign-off-button").click()
    ua.wait_for_load_state()
    expect(ua.locator("#withdraw-sign-off")).to_be_visible()
    se.goto(f"/sv/grants/applications/{application.pk}/")
    se.locator("#sign-off-button").click()
    se.wait_for_load_state()
    expect(se.locator("#withdraw-sign-off")).to_be_visible()
    ua.goto(f"/uk/grants/applications/{application.pk}/")
    ua.locator("#submit-application").click()
    ua.wait_for_load_state()
    expect(ua.locator("#application-state")).to_have_class(re.compile("state-submitted"))

    # The officer screens it, sends it to review and assigns a reviewer.
    staff = sign_in(browser, live_server, officer, "en")
    staff.goto(f"/en/grants/applications/{application.pk}/")
    for action in ("screen", "start_review"):
        staff.select_option("#id_move-action", action)
        staff.locator("form[action$='/move/'] button[type=submit]").click()
        staff.wait_for_load_state()
    expect(staff.locator("#application-state")).to_have_class(re.compile("state-in_review"))
    staff.select_option("#id_reviewer", str(reviewer.pk))
    staff.locator("form[action$='/reviewers/'] button[type=submit]").click()
    staff.wait_for_load_state()

    # The reviewer scores it against the rubric.
    rev = sign_in(browser, live_server, reviewer, "en")
    rev.goto(f"/en/grants/applications/{application.pk}/review/")
    for select in rev.locator("#review-form select").all():
        select.select_option("4")
    rev.fill("#id_comments", "Relevant and feasible.")
    rev.locator("#review-form button[type=submit]").click()
    rev.wait_for_url(re.compile(rf"/applications/{application.pk}/$"))

    # The officer sees the score and grants it with reasons.
    staff.goto(f"/en/grants/calls/{call.pk}/")
    expect(staff.locator("main table")).to_contain_text("28")
    staff.goto(f"/en/grants/applications/{application.pk}/")
    staff.select_option("#id_decision-decision", "grant")
    staff.fill("#id_decision-amount", "180000")
    staff.fill("#id_decision-reasons", "Relevant to the network's aims; a realistic budget.")
    staff.locator("#decision-form button[type=submit]").click()
    staff.wait_for_load_state()
    expect(staff.locator("#application-state")).to_have_class(re.compile("state-granted"))

    # Both partners accept the agreement.
    for tab, language in ((se, "sv"), (ua, "uk")):
        tab.goto(f"/{language}/grants/applications/{application.pk}/")
        tab.check("#id_confirm")
        tab.locator("#accept-form button[type=submit]").click()
        tab.wait_for_load_state()
    expect(ua.locator("#application-state")).to_have_class(re.compile("state-active"))

    # The partnership is in the public catalogue.
    application.refresh_from_db()
    assert application.state == State.ACTIVE and application.partnership.is_published
    public = browser.new_context(base_url=live_server.url).new_page()
    public.goto("/en/partnerships/")
    expect(public.locator("main")).to_contain_text(partner.name_en)
    public.goto(application.partnership.get_absolute_url())
    expect(public.locator("main")).to_contain_text("Vi bygger en demokratisk skola")


def test_text_typed_offline_is_kept_and_saved_when_the_page_is_opened_again(browser, live_server):  # noqa: F811
    application, writer = f.complete_application(f.call(), index=8)
    tab = sign_in(browser, live_server, writer, "en")
    tab.goto(f"/en/grants/applications/{application.pk}/")
    tab.context.set_offline(True)
    tab.fill("#id_background_en", "Typed during an air-raid alert, with no connection.")
    tab.locator("#id_background_en").blur()
    expect(tab.locator("#autosave-status")).to_have_class(re.compile("offline"), timeout=10000)
    context = tab.context
    tab.close()  # the connection never came back while this page was open
    context.set_offline(False)
    tab = context.new_page()
    tab.goto(f"/en/grants/applications/{application.pk}/")
    expect(tab.locator("#id_background_en")).to_have_value(re.compile("air-raid alert"))
    # Saved by the restored copy, or already by the page's last beacon: either way, stored.
    for _attempt in range(50):
        section = application.sections.get(key=ApplicationSection.Key.BACKGROUND)
        if "air-raid alert" in (section.text_en or ""):
            break
        tab.wait_for_timeout(200)
    assert "air-raid alert" in section.text_en
    # Both the restored copy and the beacon may still be saving: let them finish before the
    # live server's database is flushed, or the flush races a write.
    tab.wait_for_load_state("networkidle")
    context.close()


@pytest.mark.parametrize("language", ["sv", "uk"])
def test_grant_pages_pass_axe_for_writers_and_officers(browser, live_server, language):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    call = f.call()
    application = f.in_review(call, index=9)
    writer_application, writer = f.complete_application(call, index=10)
    axe = Axe()
    for user, paths in (
        (
            writer,
            [f"/{language}/grants/", f"/{language}/grants/applications/{writer_application.pk}/"],
        ),
        (
            f.officer(),
            [
                f"/{language}/grants/calls/{call.pk}/",
                f"/{language}/grants/applications/{application.pk}/",
            ],
        ),
    ):
        tab = sign_in(browser, live_server, user, language)
        for path in paths:
            tab.goto(path)
            tab.wait_for_load_state("networkidle")
            result = axe.run(tab)
            assert result.violations_count == 0, f"{path}: {result.generate_report()}"
