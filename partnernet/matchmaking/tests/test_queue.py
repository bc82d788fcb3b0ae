import pytest
from django.core.exceptions import ValidationError

from partnernet.audit.models import AuditEntry
from partnernet.matchmaking import selectors, services
from partnernet.matchmaking.models import QueueEntry, QueueMove, Stage
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Network

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    return Network.objects.get(slug="democratic-resilience")


@pytest.fixture
def bucha():
    return Municipality.objects.filter(country_id="UA", code="UA32080150000035443").first()


def test_moving_a_municipality_joins_the_queue_records_history_and_audits(network, bucha):
    entry = services.queue_entry_move(
        municipality=bucha,
        network=network,
        stage="matched",
        actor=None,
        reason="Matched with Sigtuna",
    )
    assert entry.stage == Stage.MATCHED
    moves = list(QueueMove.objects.filter(entry=entry))
    assert [m.kind for m in moves] == ["join", "stage"]
    assert moves[-1].reason == "Matched with Sigtuna" and moves[-1].from_stage == "interested"
    audits = AuditEntry.objects.filter(
        object_type="matchmaking.queueentry", object_id=str(entry.pk)
    )
    assert {a.action for a in audits} == {"queue_join", "queue_move"}


def test_a_move_to_the_same_stage_changes_nothing(network, bucha):
    services.queue_entry_move(
        municipality=bucha, network=network, stage="inception_applied", actor=None, reason="Applied"
    )
    before = QueueMove.objects.count()
    services.queue_entry_move(
        municipality=bucha,
        network=network,
        stage="inception_applied",
        actor=None,
        reason="Applied again",
    )
    assert QueueMove.objects.count() == before


def test_moves_cannot_go_backwards_or_without_a_reason(network, bucha):
    services.queue_entry_move(
        municipality=bucha, network=network, stage="granted", actor=None, reason="Granted"
    )
    with pytest.raises(ValidationError):
        services.queue_entry_move(
            municipality=bucha, network=network, stage="matched", actor=None, reason="Back"
        )
    with pytest.raises(ValidationError):
        services.queue_entry_move(
            municipality=bucha, network=network, stage="granted", actor=None, reason="  "
        )


def test_waiting_counts_per_country_leave_out_granted_withdrawn_and_declined(network, bucha):
    before = selectors.queue_waiting_counts(network=network)
    services.queue_entry_move(
        municipality=bucha, network=network, stage="matched", actor=None, reason="r"
    )
    sigtuna = Municipality.objects.get(code="0191")
    services.queue_entry_move(
        municipality=sigtuna,
        network=network,
        stage="withdrawn",
        actor=None,
        reason="No capacity this year",
    )
    after = selectors.queue_waiting_counts(network=network)
    assert after.get("UA", 0) == before.get("UA", 0) + 1
    assert after.get("SE", 0) == before.get("SE", 0)


def test_reordering_needs_a_reason_and_renumbers_the_waiting(network, bucha):
    sigtuna = Municipality.objects.get(code="0191")
    first = services.queue_entry_join(municipality=bucha, network=network, actor=None, reason="r")
    second = services.queue_entry_join(
        municipality=sigtuna, network=network, actor=None, reason="r"
    )
    with pytest.raises(ValidationError):
        services.queue_entry_reorder(entry=second, position=1, actor=None, reason="")
    services.queue_entry_reorder(entry=second, position=1, actor=None, reason="Urgent need")
    waiting = list(
        QueueEntry.objects.filter(network=network, stage__in=["interested"])
        .order_by("position")
        .values_list("pk", flat=True)
    )
    assert waiting.index(second.pk) < waiting.index(first.pk)
    move = QueueMove.objects.filter(entry=second, kind="reorder").get()
    assert move.reason == "Urgent need" and move.to_position == 1
