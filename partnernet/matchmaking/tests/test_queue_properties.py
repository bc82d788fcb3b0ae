"""The queue as a state machine: municipalities join, are reordered, close (withdrawn,
declined, granted) and reopen, in any order, on a fresh network. A plain list is the model of
the waiting order; after every step the database must agree with it, the places shown per
country must run 1..n without gaps, and the public counts must match."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from partnernet.matchmaking import selectors, services
from partnernet.matchmaking.models import WAITING, QueueEntry, QueueMove

from . import factories

pytestmark = pytest.mark.django_db
STEPS: dict[str, int] = {}


def _step(name: str) -> None:
    STEPS[name] = STEPS.get(name, 0) + 1
    event(name)


class Queue(RuleBasedStateMachine):
    @initialize()
    def fresh_network(self):
        self.network = factories.network()
        self.waiting: list[int] = []  # the model: entry ids in their expected order
        self.closed: dict[int, str] = {}  # entry id → closed stage
        self.country: dict[int, str] = {}

    def _entry(self, pk: int) -> QueueEntry:
        return QueueEntry.objects.get(pk=pk)

    @rule(country=st.sampled_from(["SE", "UA"]))
    def join(self, country):
        place = factories.municipality(country)
        entry = services.queue_entry_join(
            municipality=place, network=self.network, actor=None, reason="joins"
        )
        self.waiting.append(entry.pk)
        self.country[entry.pk] = country
        _step("join")

    @precondition(lambda self: self.waiting)
    @rule(pick=st.integers(0, 50), position=st.integers(-3, 15))
    def reorder(self, pick, position):
        pk = self.waiting[pick % len(self.waiting)]
        services.queue_entry_reorder(
            entry=self._entry(pk), position=position, actor=None, reason="reorder"
        )
        place = min(max(position, 1), len(self.waiting))
        self.waiting.remove(pk)
        self.waiting.insert(place - 1, pk)
        # A reorder renumbers the waiting entries 1..n.
        stored = list(
            QueueEntry.objects.filter(network=self.network, stage__in=WAITING)
            .order_by("position")
            .values_list("position", flat=True)
        )
        assert stored == list(range(1, len(self.waiting) + 1))
        move = QueueMove.objects.filter(entry_id=pk, kind="reorder").last()
        assert move.to_position == place
        _step("reorder")

    @precondition(lambda self: self.waiting)
    @rule(pick=st.integers(0, 50), stage=st.sampled_from(["withdrawn", "declined", "granted"]))
    def close(self, pick, stage):
        pk = self.waiting[pick % len(self.waiting)]
        services.queue_entry_move(
            municipality=self._entry(pk).municipality,
            network=self.network,
            stage=stage,
            actor=None,
            reason="closes",
        )
        self.waiting.remove(pk)
        self.closed[pk] = stage
        _step("close")

    @precondition(lambda self: self.closed)
    @rule(pick=st.integers(0, 50))
    def reorder_a_closed_entry(self, pick):
        pk = sorted(self.closed)[pick % len(self.closed)]
        with pytest.raises(ValidationError) as refused:
            services.queue_entry_reorder(entry=self._entry(pk), position=1, actor=None, reason="r")
        assert refused.value.code == "not_waiting"
        _step("refused reorder")

    @precondition(lambda self: any(s != "granted" for s in self.closed.values()))
    @rule(pick=st.integers(0, 50))
    def reopen(self, pick):
        reopenable = sorted(pk for pk, s in self.closed.items() if s != "granted")
        pk = reopenable[pick % len(reopenable)]
        services.queue_entry_move(
            municipality=self._entry(pk).municipality,
            network=self.network,
            stage="interested",
            actor=None,
            reason="returns",
        )
        del self.closed[pk]
        # Where it returns is its old number; the others keep their order around it.
        order = self._order()
        others = [e for e in order if e != pk]
        assert others == self.waiting
        self.waiting.insert(order.index(pk), pk)
        _step("reopen")

    @precondition(lambda self: any(s == "granted" for s in self.closed.values()))
    @rule(pick=st.integers(0, 50), stage=st.sampled_from(["interested", "withdrawn", "matched"]))
    def granted_stays_granted(self, pick, stage):
        granted = sorted(pk for pk, s in self.closed.items() if s == "granted")
        pk = granted[pick % len(granted)]
        with pytest.raises(ValidationError):
            services.queue_entry_move(
                municipality=self._entry(pk).municipality,
                network=self.network,
                stage=stage,
                actor=None,
                reason="try",
            )
        assert self._entry(pk).stage == "granted"
        _step("refused move")

    def _order(self) -> list[int]:
        return list(
            QueueEntry.objects.filter(network=self.network, stage__in=WAITING)
            .order_by("position", "joined_at", "id")
            .values_list("pk", flat=True)
        )

    @invariant()
    def the_database_agrees_with_the_model(self):
        if not hasattr(self, "network"):
            return
        assert self._order() == self.waiting
        closed = dict(
            QueueEntry.objects.filter(network=self.network)
            .exclude(stage__in=WAITING)
            .values_list("pk", "stage")
        )
        assert closed == self.closed

    @invariant()
    def places_per_country_run_from_one_without_gaps(self):
        if not hasattr(self, "network"):
            return
        places = selectors.queue_positions(network=self.network)
        assert set(places) == set(self.waiting)
        for country in ("SE", "UA"):
            mine = [pk for pk in self.waiting if self.country[pk] == country]
            assert [places[pk] for pk in mine] == list(range(1, len(mine) + 1))

    @invariant()
    def public_counts_match(self):
        if not hasattr(self, "network"):
            return
        expected: dict[str, int] = {}
        for pk in self.waiting:
            expected[self.country[pk]] = expected.get(self.country[pk], 0) + 1
        assert selectors.queue_waiting_counts(network=self.network) == expected


def test_the_queue_keeps_its_order_through_any_sequence_of_moves():
    STEPS.clear()
    run_state_machine_as_test(
        Queue,
        # derandomized: the same sequences on every run and database, so the check below that
        # every kind of step happened cannot depend on luck
        settings=settings(max_examples=40, stateful_step_count=12, deadline=None, derandomize=True),
    )
    # Not vacuous: every kind of step happened, reorders and reopenings many times.
    assert set(STEPS) == {
        "join",
        "reorder",
        "close",
        "refused reorder",
        "reopen",
        "refused move",
    }
    assert STEPS["reorder"] >= 10 and STEPS["reopen"] >= 3
