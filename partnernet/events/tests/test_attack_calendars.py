"""Attacks on the calendars: guessed or reset secret addresses, a person who left the team,
another partnership's calendar, the online link of an event the person is not registered for."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from partnernet.accounts import permissions
from partnernet.accounts.models import RoleAssignment
from partnernet.accounts.testing import sign_in
from partnernet.events import services
from partnernet.workspace.models import Activity

from . import factories as f

pytestmark = pytest.mark.django_db
LINK = "https://meet.example/room-7"


@pytest.mark.parametrize("secret", ["x", "", "a" * 5000, "../../etc", "%00", "é"])
def test_a_guessed_secret_address_is_404(secret):
    assert Client().get(f"/calendar/{secret}.ics").status_code in (400, 404)  # %00: 400


def test_a_reset_address_stops_and_a_person_who_left_the_team_sees_no_more_activities():
    person = f.member()
    old = services.calendar_feed_reset(actor=person)
    new = services.calendar_feed_reset(actor=person)
    assert Client().get(f"/calendar/{old}.ics").status_code == 404
    Activity.objects.create(
        partnership=f.partnership(),
        kind="workshop",
        title="Team-only plan",
        starts_on=date(2027, 1, 1),
    )
    assert "Team-only plan" in Client().get(f"/calendar/{new}.ics").content.decode()
    RoleAssignment.objects.filter(user=person).delete()
    permissions.forget(person)
    feed = Client().get(f"/calendar/{new}.ics")
    assert feed.status_code == 200
    assert "Team-only plan" not in feed.content.decode()


def test_the_online_link_reaches_only_the_registered_person_s_feed():
    event = f.event(online_url=LINK)
    registered, other = f.member(), f.member()
    services.registration_create(actor=registered, event_id=event.pk)
    mine = services.calendar_feed_reset(actor=registered)
    theirs = services.calendar_feed_reset(actor=other)
    assert LINK in Client().get(f"/calendar/{mine}.ics").content.decode()
    assert LINK not in Client().get(f"/calendar/{theirs}.ics").content.decode()
    # the partnership's calendar carries the event, never its link
    workspace = sign_in(Client(), other).get(
        reverse("calendars:partnership", kwargs={"slug": "falun-kolomyia"})
    )
    assert workspace.status_code == 200
    assert LINK not in workspace.content.decode()


def test_another_partnership_s_calendar_is_404_for_an_outsider():
    outsider = sign_in(Client(), f.member("umea-kherson"))
    url = reverse("calendars:partnership", kwargs={"slug": "falun-kolomyia"})
    assert outsider.get(url).status_code == 404
    assert Client().get(url).status_code in (302, 404)
