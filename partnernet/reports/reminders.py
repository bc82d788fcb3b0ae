"""Which reminders a report has and which are due (pure: plain values in, plain values out).

A report's coordinators are reminded `offset` days from its due date (negative: before), once
per offset and due date:

- **Planning** (`reminders_plan`): one reminder per offset, on `due_on + offset`. When the due
  date moves, a reminder computed for the old date is recomputed for the new one: if its new
  date is still ahead (after `today`) it is pending again, even if it was sent for the old date;
  if its new date has passed it stays as it was (sent, or pending and caught up by the next
  run). A reminder of an offset no longer configured and never sent goes.
- **Sending** (`reminders_due`): a pending reminder whose date has come (`send_on <= today`) is
  due, however many runs were missed before (catching up), so long as the report is being
  written. A reminder *before* the due date whose date fell before the team could act on it
  (before the report existed, or while it was with the officer: `writable_since`) is never
  sent: it would announce a deadline "in 14 days" that was never true. Reminders after the due
  date always are, so a report created already overdue still gets them.
- Several reminders due in one run are one message, which gives the real number of days from
  the due date on the day it is sent (`days_from_due`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta


@dataclass(frozen=True)
class Reminder:
    offset: int  # days from the due date; negative: before
    due_on: date  # the due date it was computed for
    send_on: date
    sent: bool = False


def reminders_plan(
    *, due_on: date, offsets: Iterable[int], existing: Sequence[Reminder], today: date
) -> list[Reminder]:
    """The reminders a report due on `due_on` should have, given those it has (`existing`)."""
    wanted = sorted(set(offsets))
    by_offset = {r.offset: r for r in existing}
    plan: list[Reminder] = []
    for offset in wanted:
        send_on = due_on + timedelta(days=offset)
        current = by_offset.pop(offset, None)
        if current is None:
            plan.append(Reminder(offset, due_on, send_on))
        elif current.due_on == due_on and current.send_on == send_on:
            plan.append(current)
        else:
            sent = current.sent and send_on <= today
            plan.append(replace(current, due_on=due_on, send_on=send_on, sent=sent))
    # An offset no longer configured keeps only what was sent (the history).
    plan.extend(r for r in by_offset.values() if r.sent)
    return sorted(plan, key=lambda r: (r.send_on, r.offset))


def is_applicable(reminder: Reminder, *, writable_since: date) -> bool:
    """Whether a reminder may ever be sent: after-due ones always; a before-due one only if
    its date did not fall before the team could act (`writable_since`)."""
    return reminder.offset >= 0 or reminder.send_on >= writable_since


def reminders_due(
    reminders: Iterable[Reminder], *, today: date, writable_since: date, writable: bool = True
) -> list[Reminder]:
    """The pending reminders to send in a run on `today` (as one message)."""
    if not writable:
        return []
    return [
        r
        for r in reminders
        if not r.sent and r.send_on <= today and is_applicable(r, writable_since=writable_since)
    ]


def days_from_due(*, due_on: date, today: date) -> int:
    """Days from the due date as the message says it: negative before, positive after."""
    return (today - due_on).days
