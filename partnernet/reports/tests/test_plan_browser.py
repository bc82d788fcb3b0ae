"""The results plan in Chromium: Falun's coordinator revises the plan and adds an outcome (in
Swedish) and proposes it (in English); the programme officer accepts it (in Ukrainian). The
plan page, the edit page and a report's indicators page have zero axe-core violations in three
languages at 360 px, and none scrolls sideways."""

from datetime import date
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from partnernet.accounts.models import User
from partnernet.grants.models import ResultStatement
from partnernet.partnerships.models import Partnership
from partnernet.reports.models import PlanState, Report, ResultsPlan
from partnernet.reports.services import plans
from partnernet.reports.tests.browser_helpers import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OWN = "falun-kolomyia"
LANGS = ("sv", "uk", "en")


def _plan_with_indicators() -> tuple[ResultsPlan, Report]:
    partnership = Partnership.objects.get(slug=OWN)
    application = plans.granted_application(partnership)
    for n, result in enumerate(ResultStatement.objects.filter(application=application)):
        result.indicators.create(
            name=f"Indikator {n}",
            unit="%",
            baseline=Decimal(10),
            baseline_year=2024,
            target=Decimal(40),
            target_year=2026,
        )
    plan = plans.results_plan_ensure(partnership=partnership)
    report = Report.objects.create(
        partnership=partnership,
        kind="annual",
        component="inception",
        accounting_year=2026,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        due_on=date(2027, 2, 28),
    )
    return plan, report


def test_the_team_changes_the_plan_and_the_officer_accepts_it(browser, live_server):
    approved, report = _plan_with_indicators()
    page = signed_in_page(browser, live_server, "falun@demo.example")
    base = f"/{{lang}}/partnerships/{OWN}/work/results/"
    page.goto(base.format(lang="sv"))
    page.locator(f"form[action$='/{approved.pk}/revise/'] button").click()
    page.wait_for_load_state()
    draft = ResultsPlan.objects.get(partnership__slug=OWN, state=PlanState.DRAFT)
    objective = draft.statements.get(level="objective")
    page.select_option("#id_level", "outcome")
    page.select_option("#id_parent", str(objective.pk))
    page.fill("#id_text", "Invånarna använder den nya e-tjänsten")
    page.locator("#statement-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Invånarna använder den nya e-tjänsten" in page.locator("main").inner_text()
    page.goto(base.format(lang="en"))
    assert "Invånarna använder den nya e-tjänsten" in page.locator(".plan-changes").inner_text()
    page.fill("#id_change_note", "A new outcome for the e-service")
    page.get_by_role("button", name="Propose to the programme officer").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.state == PlanState.PROPOSED
    officer = signed_in_page(browser, live_server, "officer@icld.example")
    officer.goto(base.format(lang="uk"))
    officer.get_by_role("button", name="Схвалити план").click()
    officer.wait_for_load_state()
    draft.refresh_from_db()
    approved.refresh_from_db()
    assert draft.state == PlanState.APPROVED and approved.state == PlanState.SUPERSEDED
    assert "Invånarna använder den nya e-tjänsten" in officer.locator("main").inner_text()


def test_the_plan_and_indicator_pages_are_accessible_and_fit_a_phone(browser, live_server):
    approved, report = _plan_with_indicators()
    draft = plans.results_plan_revise(
        plan=approved, actor=User.objects.get(email="falun@demo.example")
    )
    page = signed_in_page(browser, live_server, "falun@demo.example")
    paths = [
        "results/",
        f"results/{draft.pk}/edit/",
        f"results/{approved.pk}/",
        f"reports/{report.pk}/indicators/",
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
    # The indicators page with a refused value.
    page.goto(f"/en/partnerships/{OWN}/work/reports/{report.pk}/indicators/")
    page.locator("input[name^=value-]").first.fill("lots")
    page.get_by_role("button", name="Save the values").click()
    page.wait_for_load_state()
    assert "is not a number" in page.locator("main").inner_text()
    result = axe.run(page)
    if result.violations_count:
        problems.append(f"indicators with errors: {result.generate_report()}")
    assert problems == [], "\n".join(problems)
