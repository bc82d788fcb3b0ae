"""The report schedule in Chromium: the list, the form to add a report (also with errors) and
the form to move a due date have zero axe-core violations in three languages at 360 px, and
none scrolls sideways; an officer adds a milestone report through the form."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from partnernet.grants.models import Agreement, Application, Call, Component
from partnernet.partnerships.models import Partnership
from partnernet.reports.models import Report
from partnernet.reports.services.schedule import report_schedule_sync
from partnernet.reports.tests.browser_helpers import signed_in_page
from partnernet.reports.tests.clean import reports_cleared

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OWN = "falun-kolomyia"
LANGS = ("sv", "uk", "en")


def _schedule() -> Report:
    own = Partnership.objects.get(slug=OWN)
    application = Application.objects.filter(partnership=own).order_by("pk").first()
    Call.objects.filter(pk=application.call_id).update(component=Component.PROJECT)
    reports_cleared(application.partnership)
    Agreement.objects.filter(application=application).delete()
    agreement = Agreement.objects.create(
        application=application, starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2027, 12, 31)
    )
    report_schedule_sync(agreement=agreement)
    return Report.objects.filter(agreement=agreement).order_by("due_on").first()


def test_the_schedule_pages_are_accessible_and_fit_a_phone(browser, live_server):
    report = _schedule()
    page = signed_in_page(browser, live_server, "officer@icld.example")
    axe = Axe()
    problems = []
    base = f"/{{lang}}/partnerships/{OWN}/work/reports/"
    for lang in LANGS:
        for path in ("", "add/", f"{report.pk}/due/"):
            url = base.format(lang=lang) + path
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == lang
            result = axe.run(page)
            if result.violations_count:
                problems.append(f"{url}: {result.generate_report()}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                problems.append(f"{url} scrolls sideways ({width}px)")
        # The form with errors: a period ending before it starts.
        page.goto(base.format(lang=lang) + "add/")
        page.fill("#id_title", f"Milestone {lang}")
        page.fill("#id_period_start", "2026-06-01")
        page.fill("#id_period_end", "2026-01-01")
        page.fill("#id_due_on", "2026-09-30")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("#id_title").input_value() == f"Milestone {lang}"
        result = axe.run(page)
        if result.violations_count:
            problems.append(f"{lang} form with errors: {result.generate_report()}")
        page.fill("#id_period_end", "2026-08-31")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert Report.objects.filter(title=f"Milestone {lang}").exists()
        assert f"Milestone {lang}" in page.locator("main table").inner_text()
    # The team's view: the list and the workspace's reports panel.
    team = signed_in_page(browser, live_server, "falun@demo.example")
    for lang in LANGS:
        for url in (base.format(lang=lang), f"/{lang}/partnerships/{OWN}/work/"):
            team.goto(url)
            result = axe.run(team)
            if result.violations_count:
                problems.append(f"{url} (team): {result.generate_report()}")
            width = team.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                problems.append(f"{url} (team) scrolls sideways ({width}px)")
    assert problems == [], "\n".join(problems)
