"""Registration, the waiting list, quotas, cancellation and attendance (services)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnernet.accounts.permissions import AccessRefused
from partnernet.accounts.tests.factories import officer
from partnernet.audit.models import AuditEntry
from partnernet.events import selectors, services
from partnernet.events.models import Event, Registration, RegistrationStatus

from . import factories as f

pytestmark = pytest.mark.django_db
R, W, C = RegistrationStatus.REGISTERED, RegistrationStatus.WAITING, RegistrationStatus.CANCELLED


def status(registration: Registration) -> str:
    registration.refresh_from_db()
    return registration.status


# Refusals first --------------------------------------------------------------------------------
def test_registering_twice_is_refused():
    event = f.event()
    person = f.member()
    services.registration_create(actor=person, event_id=event.pk)
    with pytest.raises(ValidationError) as refused:
        services.registration_create(actor=person, event_id=event.pk)
    assert refused.value.code == "twice"
    assert Registration.objects.filter(event=event, person=person).count() == 1


def test_a_cancelled_event_refuses_registrations():
    event = f.event()
    services.event_cancel(actor=officer(), event_id=event.pk)
    with pytest.raises(ValidationError) as refused:
        services.registration_create(actor=f.member(), event_id=event.pk)
    assert refused.value.code == "cancelled"
    assert not Registration.objects.filter(event=event).exists()


def test_an_event_that_has_begun_refuses_registrations():
    event = f.event(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError) as refused:
        services.registration_create(actor=f.member(), event_id=event.pk)
    assert refused.value.code == "started"


def test_a_partnership_one_does_not_belong_to_is_refused():
    event = f.event()
    with pytest.raises(ValidationError) as refused:
        services.registration_create(
            actor=f.member("falun-kolomyia"),
            event_id=event.pk,
            partnership=f.partnership("umea-kherson"),
        )
    assert refused.value.code == "not_your_partnership"


def test_an_outsider_cannot_register_for_a_meeting_that_is_not_public():
    event = f.event(is_public=False)
    with pytest.raises(AccessRefused) as refused:
        services.registration_create(actor=f.outsider(), event_id=event.pk)
    assert refused.value.status == 404


def test_someone_else_cannot_cancel_my_registration():
    event = f.event()
    mine = services.registration_create(actor=f.member(), event_id=event.pk)
    with pytest.raises(AccessRefused):
        services.registration_cancel(actor=f.member(), registration_id=mine.pk)
    assert status(mine) == R


def test_attendance_before_the_start_is_refused():
    event = f.event()
    registration = services.registration_create(actor=f.member(), event_id=event.pk)
    with pytest.raises(ValidationError) as refused:
        services.attendance_record(
            actor=officer(), event_id=event.pk, attended={registration.pk: True}
        )
    assert refused.value.code == "not_started"
    registration.refresh_from_db()
    assert registration.attended is None


def test_the_places_cannot_be_fewer_than_the_people_registered():
    event = f.event(capacity=3)
    for _ in range(2):
        services.registration_create(actor=f.member(), event_id=event.pk)
    fields = _fields(event, capacity=1)
    with pytest.raises(ValidationError) as refused:
        services.event_update(actor=officer(), event_id=event.pk, fields=fields)
    assert refused.value.code == "capacity_below_registered"
    event.refresh_from_db()
    assert event.capacity == 3


def test_an_event_must_end_after_it_starts():
    event = f.event()
    fields = _fields(event, ends_at=event.starts_at)
    with pytest.raises(ValidationError) as refused:
        services.event_update(actor=officer(), event_id=event.pk, fields=fields)
    assert refused.value.code == "ends_before_start"


# The must-show path -----------------------------------------------------------------------------
def test_capacity_two_three_register_one_waits_one_cancels_the_waiting_person_moves_up_and_is_told(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = f.event(capacity=2)
    first, second = f.member(), f.member()
    third = f.member(language="uk", email="third@example.org")
    a = services.registration_create(actor=first, event_id=event.pk)
    b = services.registration_create(actor=second, event_id=event.pk)
    c = services.registration_create(actor=third, event_id=event.pk)
    assert [a.status, b.status, c.status] == [R, R, W]
    assert selectors.waiting_position(c) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=first, registration_id=a.pk)
    assert [status(a), status(b), status(c)] == [C, R, R]
    told = [m for m in mailoutbox if m.to == ["third@example.org"]]
    assert len(told) == 1
    assert "Семінар" in told[0].subject
    assert f"/uk/networks/democratic-resilience/events/{event.pk}/" in told[0].body
    assert [m.to for m in mailoutbox] == [["third@example.org"]]  # nobody else is told
    actions = AuditEntry.objects.filter(object_type="events.registration").values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["cancel", "promote", "register", "register", "wait"]


def test_the_waiting_list_keeps_its_order_by_time():
    event = f.event(capacity=1)
    services.registration_create(actor=f.member(), event_id=event.pk)
    waiting = [services.registration_create(actor=f.member(), event_id=event.pk) for _ in range(3)]
    assert [selectors.waiting_position(r) for r in waiting] == [1, 2, 3]
    services.registration_cancel(actor=waiting[0].person, registration_id=waiting[0].pk)
    assert [selectors.waiting_position(r) for r in waiting[1:]] == [1, 2]


def test_the_partnership_quota_sends_the_next_of_that_partnership_to_the_waiting_list():
    event = f.event(capacity=10, partnership_quota=2)
    falun = f.partnership("falun-kolomyia")
    umea = f.partnership("umea-kherson")
    ones = [
        services.registration_create(actor=f.member(), event_id=event.pk, partnership=falun)
        for _ in range(3)
    ]
    other = services.registration_create(
        actor=f.member("umea-kherson"), event_id=event.pk, partnership=umea
    )
    alone = services.registration_create(actor=f.member(), event_id=event.pk)
    assert [r.status for r in ones] == [R, R, W]
    assert other.status == R and alone.status == R  # another partnership, or none: places
    # one of Falun–Kolomyia's cancels: the waiting one of the same partnership moves up
    services.registration_cancel(actor=ones[0].person, registration_id=ones[0].pk)
    assert status(ones[2]) == R


def test_a_waiting_person_over_the_quota_is_passed_over_and_keeps_their_place():
    event = f.event(capacity=2, partnership_quota=1)
    falun = f.partnership("falun-kolomyia")
    first = services.registration_create(actor=f.member(), event_id=event.pk, partnership=falun)
    unaffiliated = services.registration_create(actor=f.member(), event_id=event.pk)
    over_quota = services.registration_create(
        actor=f.member(), event_id=event.pk, partnership=falun
    )
    later = services.registration_create(actor=f.member("umea-kherson"), event_id=event.pk)
    assert [first.status, unaffiliated.status, over_quota.status, later.status] == [R, R, W, W]
    services.registration_cancel(actor=unaffiliated.person, registration_id=unaffiliated.pk)
    # Falun–Kolomyia still has its one place: the person waiting for it stays first in line
    assert status(over_quota) == W and status(later) == R
    assert selectors.waiting_position(over_quota) == 1


def test_more_places_move_the_waiting_list_up():
    event = f.event(capacity=1)
    services.registration_create(actor=f.member(), event_id=event.pk)
    waiting = services.registration_create(actor=f.member(), event_id=event.pk)
    services.event_update(actor=officer(), event_id=event.pk, fields=_fields(event, capacity=2))
    assert status(waiting) == R


def test_one_may_register_again_after_cancelling():
    event = f.event()
    person = f.member()
    first = services.registration_create(actor=person, event_id=event.pk)
    services.registration_cancel(actor=person, registration_id=first.pk)
    again = services.registration_create(actor=person, event_id=event.pk)
    assert again.pk != first.pk and again.status == R


def test_attendance_after_the_start_is_recorded_for_registered_people_only():
    event = f.event(capacity=1)
    came = services.registration_create(actor=f.member(), event_id=event.pk)
    waited = services.registration_create(actor=f.member(), event_id=event.pk)
    start = timezone.now() - timedelta(hours=1)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=3))
    changed = services.attendance_record(
        actor=officer(), event_id=event.pk, attended={came.pk: True, waited.pk: True}
    )
    assert changed == 1
    came.refresh_from_db()
    waited.refresh_from_db()
    assert came.attended is True and waited.attended is None
    assert (
        services.attendance_record(actor=officer(), event_id=event.pk, attended={came.pk: True})
        == 0
    )


# Changes told and carried ---------------------------------------------------------------------
def _fields(event: Event, **changes) -> services.EventFields:
    values = {
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.time_zone,
        "titles": {"sv": event.title_sv, "en": event.title_en, "uk": event.title_uk},
        "agendas": {"sv": event.agenda_sv, "en": event.agenda_en, "uk": event.agenda_uk},
        "source_language": event.source_language,
        "place": event.place,
        "online_url": event.online_url,
        "capacity": event.capacity,
        "partnership_quota": event.partnership_quota,
        "is_public": event.is_public,
    }
    values.update(changes)
    return services.EventFields(**values)


def test_a_new_time_raises_the_sequence_and_tells_the_people_registered(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = f.event()
    person = f.member(email="registered@example.org")
    services.registration_create(actor=person, event_id=event.pk)
    later = event.starts_at + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            actor=officer(),
            event_id=event.pk,
            fields=_fields(event, starts_at=later, ends_at=later + timedelta(hours=2)),
        )
    event.refresh_from_db()
    assert event.sequence == 1 and event.starts_at == later
    assert [m.to for m in mailoutbox] == [["registered@example.org"]]
    assert "Verkstad" in mailoutbox[0].subject


def test_a_change_no_calendar_carries_keeps_the_sequence_and_tells_nobody(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = f.event(capacity=5)
    services.registration_create(actor=f.member(), event_id=event.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(actor=officer(), event_id=event.pk, fields=_fields(event, capacity=9))
    event.refresh_from_db()
    assert event.sequence == 0 and event.capacity == 9
    assert mailoutbox == []


def test_cancelling_the_event_tells_registered_and_waiting_people(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = f.event(capacity=1)
    services.registration_create(actor=f.member(email="in@example.org"), event_id=event.pk)
    services.registration_create(actor=f.member(email="waits@example.org"), event_id=event.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(actor=officer(), event_id=event.pk, reason="storm")
    event.refresh_from_db()
    assert event.is_cancelled and event.sequence == 1
    assert sorted(m.to[0] for m in mailoutbox) == ["in@example.org", "waits@example.org"]
    with pytest.raises(ValidationError):
        services.event_cancel(actor=officer(), event_id=event.pk)
    entry = AuditEntry.objects.get(object_type="events.event", action="cancel")
    assert entry.reason == "storm" and entry.after == {"status": "cancelled"}


def test_materials_only_from_the_network_or_its_partnerships():
    event = f.event()
    network_doc, partnership_doc = f.document(), f.document(with_network=False)
    services.event_materials_set(
        actor=officer(), event_id=event.pk, documents=[network_doc, partnership_doc]
    )
    assert set(event.materials.all()) == {network_doc, partnership_doc}
