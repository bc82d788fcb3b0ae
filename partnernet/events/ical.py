"""iCalendar (RFC 5545) documents from plain values: the one builder of every calendar feed
(a network's public events, one event, a partnership's workspace, a person's secret feed).

Pure: no database, no request. A timed entry carries DTSTART/DTEND in its own zone (TZID) with
the VTIMEZONE it needs; an all-day entry (an activity) carries dates, DTEND the day after its
last day. Updates and cancellations reach subscribers through the stable UID, a higher
SEQUENCE and STATUS:CANCELLED (METHOD:PUBLISH)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as VEvent

PRODID = "-//Partnernet//Network meetings and activities//EN"


@dataclass(frozen=True)
class Entry:
    """One VEVENT. Give `starts_at`/`ends_at` (aware) with `time_zone`, or `starts_on`/
    `ends_on` (dates, the last day included) for an all-day entry."""

    uid: str
    sequence: int
    stamp: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    time_zone: str = "UTC"
    starts_on: date | None = None
    ends_on: date | None = None


def uid_for(kind: str, pk: int, host: str) -> str:
    """`event-12@partnernet.example`: the same for an object as long as it exists."""
    return f"{kind}-{pk}@{host}"


def vevent(entry: Entry) -> VEvent:
    item = VEvent()
    item.add("uid", entry.uid)
    item.add("sequence", entry.sequence)
    item.add("dtstamp", entry.stamp.astimezone(ZoneInfo("UTC")))
    item.add("summary", entry.summary)
    if entry.description:
        item.add("description", entry.description)
    if entry.location:
        item.add("location", entry.location)
    if entry.url:
        item.add("url", entry.url)
    item.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    if entry.starts_at is not None:
        zone = ZoneInfo(entry.time_zone or "UTC")
        ends = entry.ends_at or entry.starts_at
        item.add("dtstart", entry.starts_at.astimezone(zone))
        item.add("dtend", ends.astimezone(zone))
    elif entry.starts_on is not None:
        last = entry.ends_on or entry.starts_on
        item.add("dtstart", entry.starts_on)
        # The day after the last (an all-day end is exclusive); the calendar's last day ends there.
        item.add("dtend", last + timedelta(days=1) if last < date.max else last)
    else:
        raise ValueError(f"{entry.uid}: an entry needs a start")
    return item


def calendar(*, name: str, entries: Iterable[Entry], language: str = "") -> bytes:
    """The whole VCALENDAR, with a VTIMEZONE for every zone its entries use."""
    document = Calendar()
    document.add("prodid", PRODID)
    document.add("version", "2.0")
    document.add("calscale", "GREGORIAN")
    document.add("method", "PUBLISH")
    document.add("x-wr-calname", name)
    if language:
        document["x-wr-language"] = language
    for entry in entries:
        document.add_component(vevent(entry))
    document.add_missing_timezones()
    return document.to_ical()
