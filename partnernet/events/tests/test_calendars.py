"""The iCalendar feeds, parsed back with `icalendar`: UIDs stay, SEQUENCE rises with a change,
a cancelled meeting says CANCELLED, the online link never reaches a public feed, and the
secret address answers 404 once reset."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from icalendar import Calendar

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.accounts.tests.factories import officer
from partnernet.events import services
from partnernet.events.models import CalendarFeed
from partnernet.workspace.models import Activity

from . import factories as f
from .test_registration import _fields

pytestmark = pytest.mark.django_db
NET = "/en/networks/democratic-resilience"
LINK = "https://meet.example/secret-room"


def parse(response) -> dict[str, dict]:
    """UID → the VEVENT's properties, from a 200 text/calendar answer."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    document = Calendar.from_ical(response.content)
    assert document["METHOD"] == "PUBLISH" and document["VERSION"] == "2.0"
    zones = {str(tz["TZID"]) for tz in document.walk("VTIMEZONE")}
    events = {}
    for item in document.walk("VEVENT"):
        start = item["DTSTART"]
        if "TZID" in start.params:
            assert start.params["TZID"] in zones  # every zone used has its VTIMEZONE
        for required in ("UID", "DTSTAMP", "SEQUENCE", "SUMMARY", "DTSTART", "DTEND", "STATUS"):
            assert required in item, required
        events[str(item["UID"])] = item
    return events


def person_feed(user: User) -> str:
    return f"/calendar/{services.calendar_feed_reset(actor=user)}.ics"


# Refusals first ---------------------------------------------------------------------------------
def test_a_wrong_token_is_404():
    assert Client().get("/calendar/not-a-real-token.ics").status_code == 404


def test_a_reset_makes_the_old_address_404():
    person = f.member()
    old = person_feed(person)
    assert Client().get(old).status_code == 200
    new = person_feed(person)
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    stored = CalendarFeed.objects.get(user=person)
    assert new.split("/")[-1].removesuffix(".ics") not in stored.token_digest  # only a digest


def test_an_inactive_person_s_address_is_404():
    person = f.member()
    url = person_feed(person)
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert Client().get(url).status_code == 404


def test_an_outsider_gets_404_on_a_partnership_feed():
    umea = User.objects.get(email="umea@demo.example")
    url = "/en/partnerships/falun-kolomyia/work/calendar.ics"
    assert sign_in(Client(), umea).get(url).status_code == 404
    assert sign_in(Client(), f.outsider()).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_an_activity_of_another_partnership_is_404_under_this_one():
    other = Activity.objects.create(
        partnership=f.partnership("umea-kherson"),
        kind="visit",
        title="Elsewhere",
        starts_on=date(2027, 2, 1),
    )
    falun = User.objects.get(email="falun@demo.example")
    url = f"/en/partnerships/falun-kolomyia/work/calendar/activity-{other.pk}.ics"
    assert sign_in(Client(), falun).get(url).status_code == 404


def test_the_online_link_never_reaches_a_public_or_partnership_feed():
    event = f.event(online_url=LINK)
    person = f.member()
    services.registration_create(actor=person, event_id=event.pk, partnership=f.partnership())
    public = Client().get(f"{NET}/events.ics")
    one = Client().get(f"{NET}/events/{event.pk}.ics")
    workspace = sign_in(Client(), person).get("/en/partnerships/falun-kolomyia/work/calendar.ics")
    for response in (public, one, workspace):
        parse(response)
        assert LINK.encode() not in response.content
    # the registered person's own calendar carries it
    assert LINK.encode() in Client().get(person_feed(person)).content
    assert LINK.encode() in sign_in(Client(), person).get(f"{NET}/events/{event.pk}.ics").content


def test_the_network_feed_carries_only_public_meetings():
    public, closed = f.event(title_en="Open"), f.event(title_en="Closed", is_public=False)
    events = parse(Client().get(f"{NET}/events.ics"))
    host = "127.0.0.1"
    assert f"event-{public.pk}@{host}" in events and f"event-{closed.pk}@{host}" not in events


# The must-show path, in the calendars -------------------------------------------------------------
def test_capacity_two_the_feeds_carry_the_registrations_the_update_and_the_cancellation():
    event = f.event(capacity=2, online_url=LINK)
    people = [f.member() for _ in range(3)]
    regs = [services.registration_create(actor=p, event_id=event.pk) for p in people]
    feeds = [person_feed(p) for p in people]
    uid = f"event-{event.pk}@127.0.0.1"
    assert uid in parse(Client().get(feeds[0])) and uid not in parse(Client().get(feeds[2]))
    services.registration_cancel(actor=people[0], registration_id=regs[0].pk)
    assert uid not in parse(Client().get(feeds[0]))
    assert uid in parse(Client().get(feeds[2]))  # moved up: now in their calendar
    first = parse(Client().get(f"{NET}/events.ics"))[uid]
    assert int(first["SEQUENCE"]) == 0 and first["STATUS"] == "CONFIRMED"
    assert str(first["DTSTART"].params["TZID"]) == "Europe/Stockholm"
    assert (
        first["URL"]
        == f"http://127.0.0.1:8000/en/networks/democratic-resilience/events/{event.pk}/"
    )
    later = event.starts_at + timedelta(days=2)
    services.event_update(
        actor=officer(),
        event_id=event.pk,
        fields=_fields(event, starts_at=later, ends_at=later + timedelta(hours=1), place="Kalmar"),
    )
    moved = parse(Client().get(f"{NET}/events.ics"))[uid]
    assert int(moved["SEQUENCE"]) == 1 and moved["DTSTART"].dt == later.replace(microsecond=0)
    assert "Kalmar" in str(moved["LOCATION"])
    services.event_cancel(actor=officer(), event_id=event.pk)
    for url in (f"{NET}/events.ics", feeds[2], f"{NET}/events/{event.pk}.ics"):
        cancelled = parse(Client().get(url))[uid]
        assert cancelled["STATUS"] == "CANCELLED" and int(cancelled["SEQUENCE"]) == 2


def test_summary_and_description_in_the_reader_s_language():
    event = f.event()
    uid = f"event-{event.pk}@127.0.0.1"
    sv = parse(Client().get(f"/sv/networks/democratic-resilience/events/{event.pk}.ics"))[uid]
    uk = parse(Client().get(f"/uk/networks/democratic-resilience/events/{event.pk}.ics"))[uid]
    assert (str(sv["SUMMARY"]), str(sv["DESCRIPTION"])) == ("Verkstad", "Dagordning")
    assert (str(uk["SUMMARY"]), str(uk["DESCRIPTION"])) == ("Семінар", "Порядок денний")
    person = f.member(language="uk")
    services.registration_create(actor=person, event_id=event.pk)
    assert str(parse(Client().get(person_feed(person)))[uid]["SUMMARY"]) == "Семінар"


def test_the_partnership_feed_has_its_activities_all_day_and_cancelled_ones_say_so():
    p = f.partnership()
    visit = Activity.objects.create(
        partnership=p,
        kind="visit",
        title="Visit to Kolomyia",
        starts_on=date(2027, 4, 6),
        ends_on=date(2027, 4, 9),
        place="Kolomyia",
    )
    dropped = Activity.objects.create(
        partnership=p,
        kind="workshop",
        title="Dropped",
        starts_on=date(2027, 5, 1),
        status="cancelled",
    )
    elsewhere = Activity.objects.create(
        partnership=f.partnership("umea-kherson"),
        kind="visit",
        title="Not ours",
        starts_on=date(2027, 4, 6),
    )
    falun = User.objects.get(email="falun@demo.example")
    events = parse(
        sign_in(Client(), falun).get("/en/partnerships/falun-kolomyia/work/calendar.ics")
    )
    item = events[f"activity-{visit.pk}@127.0.0.1"]
    assert item["DTSTART"].dt == date(2027, 4, 6) and item["DTEND"].dt == date(2027, 4, 10)
    assert events[f"activity-{dropped.pk}@127.0.0.1"]["STATUS"] == "CANCELLED"
    assert f"activity-{elsewhere.pk}@127.0.0.1" not in events
    # the kick-off, which Falun–Kolomyia's people are registered for (demo)
    assert any("Kick-off" in str(e["SUMMARY"]) for e in events.values())
    one = sign_in(Client(), falun).get(
        f"/en/partnerships/falun-kolomyia/work/calendar/activity-{visit.pk}.ics"
    )
    assert list(parse(one)) == [f"activity-{visit.pk}@127.0.0.1"]
    # the person's own feed has their partnerships' activities too
    assert f"activity-{visit.pk}@127.0.0.1" in parse(Client().get(person_feed(falun)))


def test_the_calendar_page_shows_a_new_address_once():
    person = f.member()
    browser = sign_in(Client(), person)
    assert "You have no calendar address yet." in browser.get("/en/calendar/").content.decode()
    shown = browser.post("/en/calendar/").content.decode()
    digest = CalendarFeed.objects.get(user=person).token_digest
    start = shown.index("http://testserver/calendar/")
    url = shown[start : shown.index('"', start)]
    assert Client().get(url.removeprefix("http://testserver")).status_code == 200
    again = browser.get("/en/calendar/").content.decode()
    assert url not in again and "is not shown again" in again
    assert digest not in shown
