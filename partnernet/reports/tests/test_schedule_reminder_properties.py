"""The pure core of the reminders: for any due date, offsets, creation day and days the job
runs (a due date moved or not), each applicable reminder is sent exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from partnernet.reports.reminders import (
    Reminder,
    is_applicable,
    reminders_due,
    reminders_plan,
)

BASE = dt.date(2026, 1, 1)


def simulate(due, offsets, created, runs, move):
    """Plan at creation, run on each run day (a move of the due date on its day)."""
    plan = reminders_plan(due_on=due, offsets=offsets, existing=[], today=created)
    sent: list[tuple[int, dt.date, dt.date]] = []  # (offset, due date, day sent)
    for day in sorted(set(runs)):
        if day < created:
            continue
        if move is not None and move[0] <= day and due != move[1]:
            due = move[1]
            plan = reminders_plan(due_on=due, offsets=offsets, existing=plan, today=move[0])
        due_now = reminders_due(plan, today=day, writable_since=created)
        if len(due_now) > 1:
            event("several in one message")
        sent += [(r.offset, r.due_on, day) for r in due_now]
        done = {r.offset for r in due_now}
        plan = [Reminder(r.offset, r.due_on, r.send_on, r.sent or r.offset in done) for r in plan]
    return sent, plan, due


@pytest.mark.reaches("sent late (caught up)", "created overdue", "skipped: before it existed")
@given(
    due=st.integers(0, 120).map(lambda n: BASE + dt.timedelta(days=n)),
    offsets=st.lists(st.integers(-30, 30), min_size=1, max_size=5, unique=True),
    created=st.integers(0, 150).map(lambda n: BASE + dt.timedelta(days=n)),
    runs=st.lists(st.integers(0, 200), min_size=1, max_size=60).map(
        lambda ns: [BASE + dt.timedelta(days=n) for n in ns]
    ),
)
def test_each_applicable_reminder_is_sent_exactly_once(due, offsets, created, runs):
    sent, _plan, _due = simulate(due, offsets, created, runs, None)
    run_days = sorted({d for d in runs if d >= created})
    checked = 0
    for offset in offsets:
        send_on = due + dt.timedelta(days=offset)
        times = [s for s in sent if s[0] == offset]
        reminder = Reminder(offset, due, send_on)
        first = next((d for d in run_days if d >= send_on), None)
        if not is_applicable(reminder, writable_since=created):
            event("skipped: before it existed")
            assert times == []
            continue
        if first is None:
            assert times == []  # its day has not come in any run
            continue
        checked += 1
        assert times == [(offset, due, first)]  # once, at the first run on or after its day
        if first > send_on:
            event("sent late (caught up)")
        if offset >= 0 and created > send_on:
            event("created overdue")
    assert len(sent) == checked
    if checked:
        event("checked")


@pytest.mark.reaches("pending again", "kept as sent")
@given(
    due=st.integers(20, 80).map(lambda n: BASE + dt.timedelta(days=n)),
    offsets=st.lists(st.integers(-20, 20), min_size=1, max_size=4, unique=True),
    move_day=st.integers(0, 100),
    new_due=st.integers(0, 160),
)
def test_a_moved_due_date_moves_the_pending_reminders(due, offsets, move_day, new_due):
    """Run daily; once the due date moves, every reminder whose new date is ahead is sent once
    for the new date, and none is sent twice for one due date."""
    moved_on = BASE + dt.timedelta(days=move_day)
    moved_to = BASE + dt.timedelta(days=new_due)
    runs = [BASE + dt.timedelta(days=n) for n in range(0, 220)]
    sent, _plan, _due = simulate(due, offsets, BASE, runs, (moved_on, moved_to))
    keys = [(offset, on) for offset, on, _day in sent]
    assert len(keys) == len(set(keys))  # never twice for one due date
    for offset in offsets:
        new_day = moved_to + dt.timedelta(days=offset)
        old_day = due + dt.timedelta(days=offset)
        if moved_to != due and new_day > moved_on:
            assert (offset, moved_to) in keys
            if old_day < moved_on:
                event("pending again")
        elif moved_to != due and old_day < moved_on and new_day <= moved_on:
            assert (offset, moved_to) not in keys
            event("kept as sent")
