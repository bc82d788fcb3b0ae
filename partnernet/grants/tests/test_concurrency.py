"""Concurrent decisions and submissions on PostgreSQL: threads with their own connections."""

import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from partnernet.audit.models import AuditEntry

from .. import selectors, services
from ..models import Application, State
from . import factories as f

pytestmark = [
    pytest.mark.skipif(
        not settings.IS_POSTGRES,
        reason="row locks need PostgreSQL; SQLite "
        "serialises whole transactions, so there is no race to test",
    ),
]


@pytest.fixture(autouse=True)
def _demo(transactional_db):
    """Threads need committed rows: these tests run outside a test transaction."""


def run_together(*jobs) -> list:
    """Start every job at the same moment, each in its own thread and database connection;
    return what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            outcomes[index] = job()
        except Exception as error:  # noqa: BLE001  (the outcome is what the test inspects)
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_concurrent_grants_exceeding_the_budget_exactly_one_succeeds():
    # Each asks SEK 150 000 (the factory's budget) and is granted what it asked: together
    # more than the call's budget, each alone within it and within the decision rules.
    call = f.call(budget=Decimal(250_000))
    first, second = f.in_review(call, 0), f.in_review(call, 1)
    officers = f.officer(), f.officer()
    outcomes = run_together(
        *[
            (
                lambda app=app, who=who: services.application_grant(
                    application_id=app.pk, actor=who, amount=Decimal(150_000), reasons="Strong"
                )
            )
            for app, who in zip((first, second), officers, strict=True)
        ]
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), outcomes
    assert errors[0].code == "over_budget", errors[0].messages
    states = sorted(Application.objects.filter(call=call).values_list("state", flat=True))
    assert states == [State.GRANTED, State.IN_REVIEW]
    assert selectors.call_committed(call) == Decimal(150_000) <= call.budget


def test_double_submit_at_the_same_moment_leaves_one_submitted_application():
    call = f.call()
    application, writer = f.complete_application(call)
    partner_writer = f.coordinator(application.partner)
    outcomes = run_together(
        lambda: services.application_submit(application_id=application.pk, actor=writer),
        lambda: services.application_submit(application_id=application.pk, actor=partner_writer),
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert Application.objects.filter(call=call).count() == 1
    assert Application.objects.get(pk=application.pk).state == State.SUBMITTED
    submits = AuditEntry.objects.filter(
        object_type="grants.application", object_id=str(application.pk), action="submit"
    )
    assert submits.count() == 1


def test_double_submit_of_a_new_application_by_both_partners_creates_one():
    call = f.call()
    swedish, partner = f.pair(3)
    people = f.coordinator(swedish), f.coordinator(partner)
    outcomes = run_together(
        *[
            (
                lambda who=who: services.application_start(
                    call=call,
                    swedish_partner=swedish,
                    partner=partner,
                    area=None,
                    title="Same",
                    actor=who,
                )
            )
            for who in people
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert outcomes[0].pk == outcomes[1].pk
    assert Application.objects.filter(call=call).count() == 1


def test_two_co_writers_saving_the_same_section_at_the_same_moment_lose_nothing():
    from ..drafts import SectionEdit, base_of

    application, writer = f.complete_application(f.call(), index=4)
    partner_writer = f.coordinator(application.partner)
    section = application.sections.get(key="summary")
    texts = {lang: getattr(section, f"text_{lang}") or "" for lang in ("sv", "uk", "en")}
    base = base_of(texts, section.source_language)

    def save(who, text):
        edit = SectionEdit(texts={"sv": text}, source="sv", version=section.version, base=base)
        return services.application_draft_save(
            application_id=application.pk, actor=who, sections={"summary": edit}
        )

    outcomes = run_together(
        lambda: save(writer, "Written in Karlskrona."),
        lambda: save(partner_writer, "Written in Chortkiv."),
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    results = sorted(o.sections["summary"]["outcome"] for o in outcomes)
    assert results == ["conflict", "saved"]
    stored = application.sections.get(key="summary")
    loser = next(o for o in outcomes if o.conflicts)
    kept = {stored.text_sv, loser.conflicts[0]["yours"]["sv"]}
    assert kept == {"Written in Karlskrona.", "Written in Chortkiv."}
    assert stored.version == section.version + 1
