"""The pure builder: what goes in comes back out of `icalendar`'s parser."""

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from partnernet.events import ical

STAMP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_an_entry_without_a_start_is_refused():
    with pytest.raises(ValueError):
        ical.calendar(name="x", entries=[ical.Entry(uid="u", sequence=0, stamp=STAMP, summary="s")])


def test_a_timed_entry_keeps_its_zone_and_an_all_day_entry_its_days():
    timed = ical.Entry(
        uid="event-1@example.org",
        sequence=3,
        stamp=STAMP,
        summary="Kick-off",
        location="Visby",
        url="https://example.org/e/1",
        starts_at=datetime(2026, 12, 15, 8, 30, tzinfo=UTC),
        ends_at=datetime(2026, 12, 15, 15, 30, tzinfo=UTC),
        time_zone="Europe/Kyiv",
    )
    all_day = ical.Entry(
        uid="activity-2@example.org",
        sequence=0,
        stamp=STAMP,
        summary="Visit",
        starts_on=date(2027, 4, 6),
        ends_on=date(2027, 4, 9),
        cancelled=True,
    )
    parsed = Calendar.from_ical(ical.calendar(name="N", entries=[timed, all_day], language="en"))
    assert [str(z["TZID"]) for z in parsed.walk("VTIMEZONE")] == ["Europe/Kyiv"]
    first, second = parsed.walk("VEVENT")
    assert first["DTSTART"].dt.hour == 10 and str(first["DTSTART"].params["TZID"]) == "Europe/Kyiv"
    assert first["DTSTART"].dt == timed.starts_at and int(first["SEQUENCE"]) == 3
    assert first["STATUS"] == "CONFIRMED" and first["DTSTAMP"].dt == STAMP
    assert second["DTSTART"].dt == date(2027, 4, 6) and second["DTEND"].dt == date(2027, 4, 10)
    assert second["STATUS"] == "CANCELLED"
    assert ical.uid_for("event", 1, "example.org") == "event-1@example.org"
