"""The queue services' refusals, on a fresh network: every stage change the rules allow and
forbid (a table written from the product's stage rules, not read from the model), moves
without a reason, unknown stages, reordering out of range or of a closed entry. A refusal
writes nothing: no entry, no history line, no audit entry, no e-mail."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from partnernet.audit.models import AuditEntry
from partnernet.matchmaking import services
from partnernet.matchmaking.models import QueueEntry, QueueMove

from . import factories

pytestmark = pytest.mark.django_db

STAGES = [
    "interested",
    "matched",
    "letter_of_intent",
    "inception_applied",
    "granted",
    "withdrawn",
    "declined",
]
# Where a municipality may go from each stage (the product's rules in words: forward along
# interested → matched → letter → inception applied → granted, skipping steps allowed; any
# waiting stage may be withdrawn or declined; back to interested only from matched (the
# match fell through), withdrawn or declined (it returns); nothing leaves granted).
ALLOWED = {
    "interested": {
        "matched",
        "letter_of_intent",
        "inception_applied",
        "granted",
        "withdrawn",
        "declined",
    },
    "matched": {
        "interested",
        "letter_of_intent",
        "inception_applied",
        "granted",
        "withdrawn",
        "declined",
    },
    "letter_of_intent": {"inception_applied", "granted", "withdrawn", "declined"},
    "inception_applied": {"granted", "withdrawn", "declined"},
    "granted": set(),
    "withdrawn": {"interested"},
    "declined": {"interested"},
}
CASES = [(a, b) for a in STAGES for b in STAGES if a != b]


def _at(network, place, stage):
    """An entry of `place` at `stage` (reached straight from interested)."""
    services.queue_entry_join(municipality=place, network=network, actor=None, reason="joined")
    if stage != "interested":
        services.queue_entry_move(
            municipality=place, network=network, stage=stage, actor=None, reason="set up"
        )
    return QueueEntry.objects.get(municipality=place, network=network)


def _written(entry) -> tuple[int, int]:
    audits = AuditEntry.objects.filter(
        object_type="matchmaking.queueentry", object_id=str(entry.pk)
    ).count()
    return QueueMove.objects.filter(entry=entry).count(), audits


def test_the_table_covers_every_pair_of_stages():
    assert len(CASES) == 42 and set(ALLOWED) == set(STAGES)
    allowed = sum(len(targets) for targets in ALLOWED.values())
    assert allowed == 6 + 6 + 4 + 3 + 0 + 1 + 1


@pytest.mark.parametrize("source,target", [c for c in CASES if c[1] in ALLOWED[c[0]]])
def test_an_allowed_move_changes_the_stage_and_records_one_history_line(source, target):
    network, place = factories.network(), factories.municipality("UA")
    entry = _at(network, place, source)
    moves, audits = _written(entry)
    moved = services.queue_entry_move(
        municipality=place, network=network, stage=target, actor=None, reason="Because"
    )
    assert moved.stage == target
    assert QueueEntry.objects.get(pk=entry.pk).stage == target
    assert _written(entry) == (moves + 1, audits + 1)
    last = QueueMove.objects.filter(entry=entry).last()
    assert (last.kind, last.from_stage, last.to_stage, last.reason) == (
        "stage",
        source,
        target,
        "Because",
    )


@pytest.mark.parametrize("source,target", [c for c in CASES if c[1] not in ALLOWED[c[0]]])
def test_a_forbidden_move_is_refused_and_writes_nothing(source, target):
    network, place = factories.network(), factories.municipality("UA")
    entry = _at(network, place, source)
    written = _written(entry)
    with pytest.raises(ValidationError) as refused:
        services.queue_entry_move(
            municipality=place, network=network, stage=target, actor=None, reason="Try"
        )
    assert refused.value.code == "transition_not_allowed"
    assert place.name in refused.value.messages[0]
    assert QueueEntry.objects.get(pk=entry.pk).stage == source
    assert _written(entry) == written


def test_the_refusal_names_both_stages_in_the_readers_language():
    network, place = factories.network(), factories.municipality("UA", name="Hromada Test")
    _at(network, place, "granted")
    with translation.override("sv"), pytest.raises(ValidationError) as refused:
        services.queue_entry_move(
            municipality=place, network=network, stage="matched", actor=None, reason="Back"
        )
    message = refused.value.messages[0]
    assert message.startswith("Hromada Test kan inte flyttas från")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.queue_entry_move(
            municipality=place, network=network, stage="matched", actor=None, reason="Back"
        )
    assert refused.value.messages[0] == "Hromada Test cannot move from “granted” to “matched”."


@pytest.mark.parametrize("reason", ["", "   ", "\n\t", None])
def test_a_move_without_a_reason_is_refused_before_anything_is_written(reason):
    network, place = factories.network(), factories.municipality("UA")
    with pytest.raises(ValidationError) as refused:
        services.queue_entry_move(
            municipality=place, network=network, stage="matched", actor=None, reason=reason
        )
    assert refused.value.code == "reason_required"
    # Not even the join that a first move would otherwise make.
    assert not QueueEntry.objects.filter(network=network).exists()


@pytest.mark.parametrize("stage", ["", "MATCHED", "approved", "matched ", "interested;"])
def test_an_unknown_stage_is_refused(stage):
    network, place = factories.network(), factories.municipality("UA")
    entry = _at(network, place, "interested")
    written = _written(entry)
    with pytest.raises(ValidationError) as refused:
        services.queue_entry_move(
            municipality=place, network=network, stage=stage, actor=None, reason="r"
        )
    assert refused.value.code == "unknown_stage"
    assert _written(entry) == written and QueueEntry.objects.get(pk=entry.pk).stage == "interested"


def test_a_first_move_joins_at_the_end_of_its_own_networks_queue_only():
    first, second = factories.network(), factories.network()
    a, b, c = (factories.municipality("UA") for _ in range(3))
    for place in (a, b):
        services.queue_entry_join(municipality=place, network=first, actor=None, reason="r")
    services.queue_entry_move(
        municipality=c, network=first, stage="matched", actor=None, reason="r"
    )
    services.queue_entry_move(
        municipality=c, network=second, stage="matched", actor=None, reason="r"
    )
    assert QueueEntry.objects.get(municipality=c, network=first).position == 3
    assert QueueEntry.objects.get(municipality=c, network=second).position == 1
    kinds = list(
        QueueMove.objects.filter(entry__municipality=c, entry__network=first).values_list(
            "kind", flat=True
        )
    )
    assert kinds == ["join", "stage"]


def test_joining_twice_returns_the_same_entry_and_writes_nothing_more():
    network, place = factories.network(), factories.municipality("SE")
    entry = services.queue_entry_join(municipality=place, network=network, actor=None, reason="r")
    written = _written(entry)
    again = services.queue_entry_join(
        municipality=place, network=network, actor=None, reason="again"
    )
    also = services.queue_entry_join(municipality=place, network=network, actor=None, reason="")
    assert again.pk == also.pk == entry.pk
    assert _written(entry) == written
    assert QueueEntry.objects.filter(network=network).count() == 1


def test_a_first_join_without_a_reason_is_refused():
    network, place = factories.network(), factories.municipality("SE")
    with pytest.raises(ValidationError) as refused:
        services.queue_entry_join(municipality=place, network=network, actor=None, reason=" ")
    assert refused.value.code == "reason_required"
    assert not QueueEntry.objects.filter(network=network).exists()


def test_a_repeated_move_to_the_same_stage_sends_no_second_email(
    django_capture_on_commit_callbacks,
):
    network, place = factories.network(), factories.municipality("UA")
    factories.coordinator(place)
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_entry_move(
            municipality=place, network=network, stage="matched", actor=None, reason="r"
        )
        services.queue_entry_move(
            municipality=place, network=network, stage="matched", actor=None, reason="again"
        )
    assert len(mail.outbox) == 1


def test_a_refused_move_sends_no_email(django_capture_on_commit_callbacks):
    network, place = factories.network(), factories.municipality("UA")
    factories.coordinator(place)
    _at(network, place, "granted")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.queue_entry_move(
            municipality=place, network=network, stage="withdrawn", actor=None, reason="r"
        )
    assert mail.outbox == []


# Reordering -------------------------------------------------------------------------------


def _queue(network, n: int) -> list[QueueEntry]:
    places = [factories.municipality("UA") for _ in range(n)]
    return [
        services.queue_entry_join(municipality=p, network=network, actor=None, reason="r")
        for p in places
    ]


def _order(network) -> list[int]:
    return list(
        QueueEntry.objects.filter(
            network=network,
            stage__in=["interested", "matched", "letter_of_intent", "inception_applied"],
        )
        .order_by("position", "joined_at", "id")
        .values_list("pk", flat=True)
    )


# (entry to move, requested place) → expected order of a, b, c, d; and the place recorded.
REORDERS = [
    (3, 1, "dabc", 1),
    (0, 4, "bcda", 4),
    (1, 3, "acbd", 3),
    (1, 2, "abcd", 2),  # its own place: the order stays
    (2, 2, "acbd", 2),
    (3, 0, "dabc", 1),  # below the first place: first
    (3, -7, "dabc", 1),
    (0, 99, "bcda", 4),  # beyond the last place: last
]


@pytest.mark.parametrize("index,position,expected,recorded", REORDERS)
def test_reordering_puts_the_entry_at_the_requested_place_within_bounds(
    index, position, expected, recorded
):
    network = factories.network()
    entries = _queue(network, 4)
    names = dict(zip("abcd", (e.pk for e in entries), strict=True))
    services.queue_entry_reorder(entry=entries[index], position=position, actor=None, reason="r")
    assert _order(network) == [names[letter] for letter in expected]
    positions = sorted(
        QueueEntry.objects.filter(network=network).values_list("position", flat=True)
    )
    assert positions == [1, 2, 3, 4]
    move = QueueMove.objects.get(entry=entries[index], kind="reorder")
    assert (move.from_position, move.to_position) == (index + 1, recorded)


@pytest.mark.parametrize("stage", ["granted", "withdrawn", "declined"])
def test_a_closed_entry_cannot_be_reordered(stage):
    network = factories.network()
    entries = _queue(network, 3)
    services.queue_entry_move(
        municipality=entries[2].municipality, network=network, stage=stage, actor=None, reason="r"
    )
    before = dict(QueueEntry.objects.filter(network=network).values_list("pk", "position"))
    with pytest.raises(ValidationError) as refused:
        services.queue_entry_reorder(entry=entries[2], position=1, actor=None, reason="r")
    assert refused.value.code == "not_waiting"
    assert dict(QueueEntry.objects.filter(network=network).values_list("pk", "position")) == before
    assert not QueueMove.objects.filter(entry__network=network, kind="reorder").exists()


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_reordering_without_a_reason_changes_no_place(reason):
    network = factories.network()
    entries = _queue(network, 3)
    before = _order(network)
    with pytest.raises(ValidationError) as refused:
        services.queue_entry_reorder(entry=entries[2], position=1, actor=None, reason=reason)
    assert refused.value.code == "reason_required"
    assert _order(network) == before
    assert not AuditEntry.objects.filter(action="queue_reorder", object_id=str(entries[2].pk))


def test_reordering_one_network_leaves_another_networks_queue_alone():
    first, second = factories.network(), factories.network()
    ours, theirs = _queue(first, 3), _queue(second, 3)
    before = dict(QueueEntry.objects.filter(network=second).values_list("pk", "position"))
    services.queue_entry_reorder(entry=ours[2], position=1, actor=None, reason="urgent")
    assert dict(QueueEntry.objects.filter(network=second).values_list("pk", "position")) == before
    assert _order(second) == [e.pk for e in theirs]


def test_reordering_counts_only_the_waiting_entries():
    network = factories.network()
    a, b, c, d = _queue(network, 4)
    services.queue_entry_move(
        municipality=b.municipality, network=network, stage="granted", actor=None, reason="r"
    )
    # Waiting: a, c, d. Place 2 among them is between a and d.
    services.queue_entry_reorder(entry=d, position=2, actor=None, reason="r")
    assert _order(network) == [a.pk, d.pk, c.pk]
    move = QueueMove.objects.get(entry=d, kind="reorder")
    assert (move.from_position, move.to_position) == (3, 2)
    audit = AuditEntry.objects.get(action="queue_reorder", object_id=str(d.pk))
    assert (audit.before, audit.after, audit.reason) == ({"position": 3}, {"position": 2}, "r")
