"""Attacks on events: times at the calendar's ends in far time zones, odd capacities, ids of
another event's registration or of nothing in POST bodies, the .ics of a cancelled or
deleted event, the online link in public places."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnernet.accounts.testing import sign_in
from partnernet.accounts.tests.factories import officer
from partnernet.events import services
from partnernet.events.models import Event, Registration

from . import factories as f

pytestmark = pytest.mark.django_db
LINK = "https://meet.example/secret-room-42"


def client_of(user) -> Client:
    return sign_in(Client(), user)


def create(client, **fields):
    data = {
        "source_language": "sv",
        "title_sv": "Möte",
        "starts": "2030-05-01T10:00",
        "ends": "2030-05-01T12:00",
        "time_zone": "Europe/Stockholm",
        "place": "Visby",
        "is_public": "on",
    } | fields
    return client.post(reverse("events:create", kwargs={"slug": f.NETWORK}), data)


@pytest.mark.parametrize(
    "starts, ends, zone",
    [
        ("0001-01-01T00:30", "0001-01-01T01:30", "Europe/Stockholm"),
        ("9999-12-31T20:00", "9999-12-31T23:30", "Pacific/Pago_Pago"),
        ("9999-12-31T20:00", "9999-12-31T23:30", "Pacific/Kiritimati"),
        ("0001-01-01T00:30", "0001-01-01T01:30", "Pacific/Kiritimati"),
    ],
)
def test_times_at_the_calendar_s_ends_are_refused_or_shown_never_a_500(starts, ends, zone):
    manager = client_of(officer())
    before = Event.objects.count()
    response = create(manager, starts=starts, ends=ends, time_zone=zone)
    assert response.status_code in (302, 400)
    if Event.objects.count() > before:
        event = Event.objects.latest("pk")
        for url in (
            reverse("events:detail", kwargs={"slug": f.NETWORK, "pk": event.pk}),
            reverse("events:edit", kwargs={"slug": f.NETWORK, "pk": event.pk}),
            reverse("events:ics", kwargs={"slug": f.NETWORK, "pk": event.pk}),
            reverse("events:network_ics", kwargs={"slug": f.NETWORK}),
            reverse("events:list", kwargs={"slug": f.NETWORK}),
        ):
            assert manager.get(url).status_code == 200, url


@pytest.mark.parametrize("capacity", ["-1", "0", "99999999999999999999", "abc", "1e3"])
def test_an_odd_capacity_is_refused(capacity):
    before = Event.objects.count()
    assert create(client_of(officer()), capacity=capacity).status_code == 400
    assert Event.objects.count() == before


def test_the_online_link_never_reaches_the_public_nor_people_not_registered():
    event = f.event(online_url=LINK)
    anonymous, outsider = Client(), client_of(f.outsider())
    for client in (anonymous, outsider, client_of(f.member())):
        for url in (
            reverse("events:detail", kwargs={"slug": f.NETWORK, "pk": event.pk}),
            reverse("events:ics", kwargs={"slug": f.NETWORK, "pk": event.pk}),
            reverse("events:network_ics", kwargs={"slug": f.NETWORK}),
            reverse("events:list", kwargs={"slug": f.NETWORK}),
        ):
            assert LINK not in client.get(url).content.decode(), url
    page = anonymous.get(reverse("catalogue:partnership", kwargs={"slug": "falun-kolomyia"}))
    assert LINK not in page.content.decode()


def test_a_hidden_event_s_ics_is_404_for_the_public_and_a_deleted_one_for_everyone():
    hidden = f.event(is_public=False)
    url = reverse("events:ics", kwargs={"slug": f.NETWORK, "pk": hidden.pk})
    assert Client().get(url).status_code == 404
    assert client_of(f.outsider()).get(url).status_code == 404
    network_ics = Client().get(reverse("events:network_ics", kwargs={"slug": f.NETWORK}))
    assert f"event-{hidden.pk}@" not in network_ics.content.decode()
    pk = hidden.pk
    hidden.delete()
    assert client_of(officer()).get(url).status_code == 404
    assert client_of(officer()).get(url.replace(str(pk), "9" * 25)).status_code == 404


def test_a_cancelled_event_s_ics_says_cancelled():
    event = f.event()
    services.event_cancel(actor=officer(), event_id=event.pk)
    response = Client().get(reverse("events:ics", kwargs={"slug": f.NETWORK, "pk": event.pk}))
    assert response.status_code == 200
    assert b"STATUS:CANCELLED" in response.content


@pytest.mark.parametrize("value", ["abc", "-1", "9" * 30, "1.5", ""])
def test_odd_registration_ids_when_cancelling_are_404_or_refused(value):
    event = f.event()
    manager = client_of(officer())
    url = reverse("events:unregister", kwargs={"slug": f.NETWORK, "pk": event.pk})
    assert manager.post(url, {"registration": value}).status_code in (302, 404)


def test_a_registration_of_another_event_cannot_be_cancelled_under_this_one():
    mine, theirs = f.event(), f.event()
    person = f.member()
    registration = services.registration_create(actor=person, event_id=theirs.pk)
    manager = client_of(officer())
    url = reverse("events:unregister", kwargs={"slug": f.NETWORK, "pk": mine.pk})
    assert manager.post(url, {"registration": registration.pk}).status_code == 404
    registration.refresh_from_db()
    assert registration.status == "registered"
    # a person who is not a manager cannot cancel someone else's
    other = client_of(f.member())
    url = reverse("events:unregister", kwargs={"slug": f.NETWORK, "pk": theirs.pk})
    assert other.post(url, {"registration": registration.pk}).status_code in (403, 404)
    registration.refresh_from_db()
    assert registration.status == "registered"


def test_nobody_registers_for_a_partnership_they_are_not_in_nor_for_another_network():
    event = f.event()
    person = f.member()  # Falun–Kolomyia
    other = f.partnership("umea-kherson")
    url = reverse("events:register", kwargs={"slug": f.NETWORK, "pk": event.pk})
    client = client_of(person)
    for value in (str(other.pk), "9" * 30, "abc", "-1"):
        assert client.post(url, {"partnership": value}).status_code == 302
    assert not Registration.objects.filter(event=event).exists()


def test_odd_attendance_keys_are_ignored_not_a_500():
    event = f.event(starts_at=timezone.now() - timedelta(hours=1))
    manager = client_of(officer())
    url = reverse("events:attendance", kwargs={"slug": f.NETWORK, "pk": event.pk})
    body = {"attended-" + "9" * 30: "yes", "attended-abc": "yes", "attended--1": "no"}
    assert manager.post(url, body).status_code == 302


def test_a_partnership_s_document_shared_as_material_is_not_named_to_the_public():
    event = f.event()
    private = f.document(with_network=False, title="Säkerhetsplan Kolomyia")
    services.event_materials_set(actor=officer(), event_id=event.pk, documents=[private])
    url = reverse("events:detail", kwargs={"slug": f.NETWORK, "pk": event.pk})
    for client in (Client(), client_of(f.outsider())):
        page = client.get(url).content.decode()
        assert "Säkerhetsplan" not in page
    person = f.member()
    services.registration_create(actor=person, event_id=event.pk)
    assert "Säkerhetsplan" in client_of(person).get(url).content.decode()
    assert "Säkerhetsplan" in client_of(officer()).get(url).content.decode()
