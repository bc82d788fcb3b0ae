"""Two people taking the last place at the same moment, on PostgreSQL: threads with their own
connections. The event's row lock lets exactly one have it; the other waits."""

import pytest
from django.conf import settings

from partnernet.events import services
from partnernet.events.models import Registration, RegistrationStatus
from partnernet.grants.tests.test_concurrency import run_together

from . import factories as f

pytestmark = [
    pytest.mark.skipif(
        not settings.IS_POSTGRES,
        reason="row locks need PostgreSQL; SQLite serialises whole transactions",
    ),
]


@pytest.fixture(autouse=True)
def _committed(transactional_db):
    """Threads need committed rows: these tests run outside a test transaction."""


def test_two_people_racing_for_the_last_place_one_gets_it_one_waits():
    event = f.event(capacity=1)
    people = [f.member(), f.member()]
    outcomes = run_together(
        *[
            (lambda who=who: services.registration_create(actor=who, event_id=event.pk))
            for who in people
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == [RegistrationStatus.REGISTERED, RegistrationStatus.WAITING]


def test_two_cancellations_at_once_move_each_waiting_person_up_once():
    event = f.event(capacity=2)
    people = [f.member() for _ in range(4)]
    regs = [services.registration_create(actor=p, event_id=event.pk) for p in people]
    outcomes = run_together(
        *[
            (lambda r=r: services.registration_cancel(actor=r.person, registration_id=r.pk))
            for r in regs[:2]
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    rows = dict(Registration.objects.filter(event=event).values_list("person_id", "status"))
    assert [rows[p.pk] for p in people] == ["cancelled", "cancelled", "registered", "registered"]


def test_the_same_person_registering_twice_at_once_gets_one_registration():
    event = f.event(capacity=5)
    person = f.member()
    outcomes = run_together(
        *[lambda: services.registration_create(actor=person, event_id=event.pk) for _ in range(2)]
    )
    assert len([o for o in outcomes if isinstance(o, Exception)]) == 1, outcomes
    assert Registration.objects.filter(event=event, person=person).count() == 1
