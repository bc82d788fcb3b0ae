"""Issue 12.7 (the application page): budget lines and team members are added and removed in
place with htmx; without script the form posts and returns to its section; removing asks first;
the page has a section navigation. Refusals first."""

from decimal import Decimal

import pytest
from django.test import Client

from ..models import BudgetLine, TeamMember
from . import factories as f

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def writing():
    application, writer = f.complete_application(f.call(), index=30, signed=False)
    client = Client()
    client.force_login(writer)
    return application, client


def _budget(application) -> dict[str, str]:
    return {
        "budget-category": str(f.category("travel").pk),
        "budget-description": "Visa fees",
        "budget-year": "1",
        "budget-amount": "4000",
    }


def test_a_bad_budget_line_is_explained_in_place_and_nothing_is_added(writing):
    application, client = writing
    url = f"/en/grants/applications/{application.pk}/budget/"
    bad = _budget(application) | {"budget-amount": "lots", "budget-category": "999999"}
    response = client.post(url, bad, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 422 and "<html" not in html
    assert 'id="budget"' in html and "Enter a number." in html
    assert "Select a valid choice" in html
    ineligible = _budget(application) | {"budget-category": str(f.category("salaries").pk)}
    refused = client.post(url, ineligible)  # without script: the whole page, with the reason
    assert refused.status_code == 400 and "is not an eligible cost" in refused.content.decode()
    assert application.budget_lines.count() == 1


def test_a_removal_is_refused_for_another_applications_line_and_asks_first(writing):
    application, client = writing
    other, _writer = f.complete_application(f.call(), index=31, signed=False)
    foreign = other.budget_lines.get()
    url = f"/en/grants/applications/{application.pk}/budget/{foreign.pk}/remove/"
    assert client.post(url, {"confirm": "1"}).status_code == 404
    assert BudgetLine.objects.filter(pk=foreign.pk).exists()
    line = application.budget_lines.get()
    url = f"/en/grants/applications/{application.pk}/budget/{line.pk}/remove/"
    asked = client.post(url, {})
    html = asked.content.decode()
    assert asked.status_code == 200 and "Remove the budget line?" in html
    assert 'name="confirm" value="1"' in html and "Two visits" in html
    assert BudgetLine.objects.filter(pk=line.pk).exists()  # nothing removed before the answer


def test_without_script_adding_and_removing_returns_to_the_section(writing):
    application, client = writing
    page = f"/en/grants/applications/{application.pk}/"
    added = client.post(page + "budget/", _budget(application))
    assert added.status_code == 302 and added["Location"] == page + "#budget"
    line = application.budget_lines.get(description="Visa fees")
    removed = client.post(page + f"budget/{line.pk}/remove/", {"confirm": "1"})
    assert removed.status_code == 302 and removed["Location"] == page + "#budget"
    assert not BudgetLine.objects.filter(pk=line.pk).exists()
    team = {"team-side": "partner", "team-role": "civil_servant", "team-name": "Oksana"}
    joined = client.post(page + "team/", team)
    assert joined.status_code == 302 and joined["Location"] == page + "#team"


def test_with_htmx_the_budget_section_comes_back_with_the_sign_off_section(writing):
    application, client = writing
    page = f"/en/grants/applications/{application.pk}/"
    response = client.post(page + "budget/", _budget(application), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.count('id="budget"') == 1 and "Visa fees" in html
    assert '<section aria-labelledby="submit-heading" id="sign-off" hx-swap-oob="true">' in html
    assert 'id="application-status" hx-swap-oob="innerHTML"' in html
    assert "The budget line was added." in html
    assert 'id="budget-total">154,000<' in html  # the new total
    line = application.budget_lines.get(description="Visa fees")
    gone = client.post(page + f"budget/{line.pk}/remove/", {"confirm": "1"}, headers=HTMX)
    assert gone.status_code == 200 and "Visa fees" not in gone.content.decode()
    assert "The budget line was removed." in gone.content.decode()
    member = application.team.first()
    left = client.post(page + f"team/{member.pk}/remove/", {"confirm": "1"}, headers=HTMX)
    assert left.status_code == 200 and 'id="team"' in left.content.decode()
    assert not TeamMember.objects.filter(pk=member.pk).exists()


def test_the_page_has_a_section_navigation_and_the_forms_speak_htmx(writing):
    application, client = writing
    html = client.get(f"/en/grants/applications/{application.pk}/").content.decode()
    assert 'aria-label="Sections of the application"' in html
    for anchor in ("#text", "#letter", "#team", "#budget", "#sign-off", "#history"):
        assert f'href="{anchor}"' in html, anchor
        assert f'id="{anchor[1:]}"' in html, anchor
    assert 'hx-confirm="Remove the budget line “Two visits”?"' in html
    assert "django_htmx/htmx-2.min.js" in html and 'name="htmx-config"' in html
    assert Decimal(150_000) == application.requested_amount()
