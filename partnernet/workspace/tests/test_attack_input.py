"""Attacks on the activity plan with odd input: dates at the calendar's ends, huge costs and
versions, ids of another partnership's team, budget and results; every answer a clear page
(never a 500), the calendars and the timeline still readable."""

from datetime import date

import pytest
from django.urls import reverse

from partnernet.workspace.models import Activity, TeamMember

from .conftest import OWN, client_of

pytestmark = pytest.mark.django_db
OTHER = "umea-kherson"


def post_activity(client, **fields):
    data = {"kind": "workshop", "title": "Workshop", "starts_on": "2027-03-01"} | fields
    return client.post(reverse("workspace:activity_create", kwargs={"slug": OWN}), data)


def pages(client):
    for name in ("activities", "timeline", "home"):
        yield name, client.get(reverse(f"workspace:{name}", kwargs={"slug": OWN}))
    yield "calendar", client.get(reverse("calendars:partnership", kwargs={"slug": OWN}))


@pytest.mark.parametrize(
    "starts_on, ends_on",
    [("9999-12-31", "9999-12-31"), ("9999-12-30", ""), ("0001-01-01", "0001-01-02")],
)
def test_dates_at_the_ends_of_the_calendar_are_refused_or_shown_never_a_500(starts_on, ends_on):
    coordinator = client_of("falun@demo.example")
    response = post_activity(coordinator, starts_on=starts_on, ends_on=ends_on)
    assert response.status_code in (302, 400)
    for name, page in pages(coordinator):
        assert page.status_code == 200, name


def test_an_activity_saved_at_the_last_day_keeps_every_calendar_readable(own):
    Activity.objects.create(
        partnership=own, kind="workshop", title="End of time", starts_on=date(9999, 12, 31)
    )
    coordinator = client_of("falun@demo.example")
    for name, page in pages(coordinator):
        assert page.status_code == 200, name


@pytest.mark.parametrize("cost", ["1" + "0" * 30, "1e30", "NaN", "Infinity", "-1", "12.5"])
def test_a_huge_or_odd_cost_is_refused_with_a_message(cost):
    coordinator = client_of("falun@demo.example")
    before = Activity.objects.count()
    response = post_activity(coordinator, planned_cost=cost)
    assert response.status_code == 400
    assert Activity.objects.count() == before


@pytest.mark.parametrize("value", ["99999999999999999999999", "abc", "-3", "1.5"])
def test_non_numeric_or_huge_ids_in_the_body_are_refused(value):
    coordinator = client_of("falun@demo.example")
    for field in ("participants", "results", "budget_line"):
        response = post_activity(coordinator, **{field: value})
        assert response.status_code == 400, field


def test_a_team_member_of_another_partnership_cannot_take_part(own):
    theirs = TeamMember.objects.create(
        partnership_id=own.__class__.objects.get(slug=OTHER).pk,
        side="swedish",
        team_role="civil_servant",
        name="Elsewhere",
    )
    response = post_activity(client_of("falun@demo.example"), participants=[theirs.pk])
    assert response.status_code == 400
    assert not Activity.objects.filter(participants=theirs).exists()


def test_a_huge_version_is_stale_not_a_500(own):
    row = Activity.objects.create(
        partnership=own, kind="workshop", title="W", starts_on=date(2027, 1, 1)
    )
    coordinator = client_of("falun@demo.example")
    url = reverse("workspace:activity_edit", kwargs={"slug": OWN, "pk": row.pk})
    data = {"kind": "workshop", "title": "W2", "starts_on": "2027-01-01"}
    assert coordinator.post(url, data | {"version": "9" * 30}).status_code in (400, 409)
    step = reverse("workspace:activity_step", kwargs={"slug": OWN, "pk": row.pk})
    assert coordinator.post(step, {"step": "cancel", "cancel-version": "9" * 30}).status_code in (
        400,
        409,
    )
    row.refresh_from_db()
    assert row.title == "W" and row.status == "planned"


def test_another_partnerships_activity_under_this_slug_is_404():
    theirs = Activity.objects.create(
        partnership=Activity._meta.get_field("partnership").related_model.objects.get(slug=OTHER),
        kind="workshop",
        title="Theirs",
        starts_on=date(2027, 1, 1),
    )
    coordinator = client_of("falun@demo.example")
    for name in ("activity", "activity_edit"):
        url = reverse(f"workspace:{name}", kwargs={"slug": OWN, "pk": theirs.pk})
        assert coordinator.get(url).status_code == 404
    step = reverse("workspace:activity_step", kwargs={"slug": OWN, "pk": theirs.pk})
    assert coordinator.post(step, {"step": "cancel"}).status_code == 404
    ics = reverse("calendars:activity", kwargs={"slug": OWN, "pk": theirs.pk})
    assert coordinator.get(ics).status_code == 404
    thread = reverse(
        "conversations:activity_thread", kwargs={"slug": OWN, "activity_pk": theirs.pk}
    )
    assert coordinator.get(thread).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "planned"
