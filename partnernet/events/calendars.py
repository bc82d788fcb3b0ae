"""Calendar feeds: events and activities turned into the plain entries of `events.ical`, in
the reader's language, with addresses on this site. The online link goes only into what a
registered person reads (their own feed, the event's .ics they download); never into a public
or a partnership's feed."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from partnernet.lib.languages import best_text
from partnernet.workspace.models import Activity, ActivityStatus

from . import ical
from .models import Event


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "partnernet"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def event_entry(event: Event, language: str, *, with_link: bool = False) -> ical.Entry:
    """One event as an entry; `with_link`: the reader is registered (the online link)."""
    with translation.override(language):
        path = reverse("events:detail", kwargs={"slug": event.network.slug, "pk": event.pk})
        description = best_text(event, "agenda", language)[0]
        location = event.place
        if event.online_url:
            online = event.online_url if with_link else _("online (link for registered people)")
            location = f"{location} · {online}" if location else online
            if with_link:
                description = f"{description}\n\n{_('Online')}: {event.online_url}".strip()
        return ical.Entry(
            uid=ical.uid_for("event", event.pk, site_host()),
            sequence=event.sequence,
            stamp=event.updated_at,
            summary=best_text(event, "title", language)[0] or event.title,
            description=description,
            location=location,
            url=absolute(path),
            cancelled=event.is_cancelled,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            time_zone=event.time_zone,
        )


def activity_entry(activity: Activity, language: str) -> ical.Entry:
    """An activity of a partnership's plan: all day, from its first to its last day."""
    with translation.override(language):
        path = reverse("calendars:partnership", kwargs={"slug": activity.partnership.slug})
        return ical.Entry(
            uid=ical.uid_for("activity", activity.pk, site_host()),
            sequence=activity.sequence,
            stamp=activity.updated_at,
            summary=activity.title,
            description=activity.purpose,
            location=activity.place,
            url=absolute(path.rsplit("calendar.ics", 1)[0]),
            cancelled=activity.status == ActivityStatus.CANCELLED,
            starts_on=activity.starts_on,
            ends_on=activity.ends_on,
        )


def ics_response(*, name: str, entries: Iterable[ical.Entry], filename: str, language: str):
    body = ical.calendar(name=name, entries=list(entries), language=language)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
