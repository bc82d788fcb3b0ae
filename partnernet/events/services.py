"""Writes of events and registrations, each in one transaction with an audit entry.

Every write that can change who holds a place locks the event's row first
(`select_for_update`), so two people never take the last place and the waiting list moves up
exactly once. People are told through `accounts.notify.notify` after the commit."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partnernet.accounts.models import User
from partnernet.accounts.notify import Message, notify
from partnernet.accounts.permissions import AccessRefused, Perm
from partnernet.audit.services import audit_record, transition_audited
from partnernet.documents.models import Document
from partnernet.documents.services import document_upload
from partnernet.lib.languages import LANGUAGES
from partnernet.partnerships.models import Network, Partnership

from . import selectors
from .models import ACTIVE, CalendarFeed, Event, Registration, RegistrationStatus

# What a calendar carries: a change of any of these raises the event's SEQUENCE.
CALENDAR_FIELDS = (
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "online_url",
    *(f"{name}_{lang}" for name in ("title", "agenda") for lang in LANGUAGES),
)
# A change of these is told to the people registered.
TOLD_FIELDS = ("starts_at", "ends_at", "time_zone", "place", "online_url")
OTHER_FIELDS = ("capacity", "partnership_quota", "is_public", "source_language")


@dataclass(frozen=True)
class EventFields:
    """What a manager writes about an event (times aware; texts per language)."""

    starts_at: datetime
    ends_at: datetime
    time_zone: str
    titles: dict[str, str]
    agendas: dict[str, str] = field(default_factory=dict)
    source_language: str = "sv"
    place: str = ""
    online_url: str = ""
    capacity: int | None = None
    partnership_quota: int | None = None
    is_public: bool = True

    def values(self) -> dict:
        values: dict = {
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "time_zone": self.time_zone,
            "place": self.place.strip(),
            "online_url": self.online_url.strip(),
            "capacity": self.capacity,
            "partnership_quota": self.partnership_quota,
            "is_public": self.is_public,
            "source_language": self.source_language,
        }
        for lang in LANGUAGES:
            values[f"title_{lang}"] = (self.titles.get(lang) or "").strip()
            values[f"agenda_{lang}"] = (self.agendas.get(lang) or "").strip()
        return values


def _check(fields: EventFields) -> None:
    if fields.ends_at <= fields.starts_at:
        raise ValidationError(_("The event must end after it starts."), code="ends_before_start")
    if not (fields.titles.get(fields.source_language) or "").strip():
        raise ValidationError(_("Write the title in the original language."), code="title_missing")
    if not fields.place.strip() and not fields.online_url.strip():
        raise ValidationError(
            _("Give a place or an online meeting link (or both)."), code="nowhere"
        )


def _snapshot(event: Event, names: Iterable[str]) -> dict:
    return {name: _plain(getattr(event, name)) for name in names}


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def _link(event: Event) -> str:
    return reverse("events:detail", kwargs={"slug": event.network.slug, "pk": event.pk})


def _title(event: Event) -> Callable[[str], str]:
    """The event's title in each reader's language (a callable notify parameter)."""

    def render(language: str) -> str:
        return str(
            getattr(event, f"title_{language}", "")
            or getattr(event, f"title_{event.source_language}", "")
            or event.title
        )

    return render


def _write_texts(event: Event, values: dict, now: datetime) -> None:
    for name in ("title", "agenda"):
        for lang in LANGUAGES:
            key = f"{name}_{lang}"
            if (getattr(event, key) or "") != values[key]:
                event.set_text(name, lang, values[key], now=now)


@transaction.atomic
def event_create(*, actor: User, network: Network, fields: EventFields) -> Event:
    _check(fields)
    values = fields.values()
    now = timezone.now()
    event = Event(network=network, created_by=actor, source_language=fields.source_language)
    for name in (*TOLD_FIELDS, *OTHER_FIELDS):
        setattr(event, name, values[name])
    event.source_updated_at = now
    for lang in LANGUAGES:
        setattr(event, f"title_{lang}", values[f"title_{lang}"])
        setattr(event, f"agenda_{lang}", values[f"agenda_{lang}"])
    event.translated_at = {
        lang: now.isoformat()
        for lang in LANGUAGES
        if lang != fields.source_language and values[f"title_{lang}"]
    }
    event.save()
    audit_record(
        actor=actor, action="create", obj=event, after=_snapshot(event, (*TOLD_FIELDS, "capacity"))
    )
    return event


def _locked(event_id: int) -> Event:
    return Event.objects.select_for_update().select_related("network").get(pk=event_id)


@transaction.atomic
def event_update(*, actor: User, event_id: int, fields: EventFields) -> Event:
    """Change an event: refused for a cancelled one and below the places already taken. A
    change a calendar carries raises SEQUENCE; a new time or place is told to the people
    registered and waiting; more places move the waiting list up."""
    _check(fields)
    event = _locked(event_id)
    if event.is_cancelled:
        raise ValidationError(_("A cancelled event cannot be changed."), code="cancelled")
    taken = selectors.registered_count(event)
    if fields.capacity is not None and fields.capacity < taken:
        raise ValidationError(
            _("%(taken)s people are registered already: the places cannot be fewer.")
            % {"taken": taken},
            code="capacity_below_registered",
        )
    values = fields.values()
    names = (*CALENDAR_FIELDS, *OTHER_FIELDS)
    before = _snapshot(event, names)
    if values["source_language"] != event.source_language:
        event.source_language = values["source_language"]
    for name in (*TOLD_FIELDS, *OTHER_FIELDS):
        setattr(event, name, values[name])
    _write_texts(event, values, timezone.now())
    after = _snapshot(event, names)
    changed = [name for name in names if before[name] != after[name]]
    if not changed:
        return event
    if any(name in CALENDAR_FIELDS for name in changed):
        event.sequence += 1
    event.save()
    audit_record(
        actor=actor,
        action="update",
        obj=event,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    if any(name in TOLD_FIELDS for name in changed):
        people = [r.person for r in _active(event)]
        notify(
            people,
            Message(
                subject=gettext_noop("Changed: %(title)s"),
                body=gettext_noop(
                    "The time or place of “%(title)s” has changed. See the event's page: %(link)s"
                ),
                params={"title": _title(event)},
                link=_link(event),
            ),
        )
    _move_up(event, actor=actor)
    return event


@transaction.atomic
def event_cancel(*, actor: User, event_id: int, reason: str = "") -> Event:
    event = _locked(event_id)
    if event.is_cancelled:
        raise ValidationError(_("This event is cancelled already."), code="cancelled")
    people = [r.person for r in _active(event)]
    event.cancelled_at = timezone.now()
    event.sequence += 1
    transition_audited(obj=event, action="cancel", field="status", actor=actor, reason=reason)
    notify(
        people,
        Message(
            subject=gettext_noop("Cancelled: %(title)s"),
            body=gettext_noop("“%(title)s” has been cancelled. %(link)s"),
            params={"title": _title(event)},
            link=_link(event),
        ),
    )
    return event


def _active(event: Event) -> list[Registration]:
    return list(
        Registration.objects.filter(event=event, status__in=ACTIVE).select_related("person")
    )


# Registrations -------------------------------------------------------------------------------
def _fits(event: Event, partnership_id: int | None, *, registered: int, per: dict) -> bool:
    if event.capacity is not None and registered >= event.capacity:
        return False
    if event.partnership_quota is not None and partnership_id is not None:
        return bool(per.get(partnership_id, 0) < event.partnership_quota)
    return True


def _taken(event: Event) -> tuple[int, dict[int, int]]:
    rows = Registration.objects.filter(
        event=event, status=RegistrationStatus.REGISTERED
    ).values_list("partnership_id", flat=True)
    per: dict[int, int] = {}
    total = 0
    for pid in rows:
        total += 1
        if pid is not None:
            per[pid] = per.get(pid, 0) + 1
    return total, per


@transaction.atomic
def registration_create(
    *, actor: User, event_id: int, partnership: Partnership | None = None
) -> Registration:
    """The signed-in person registers themself, for one of their partnerships or none. Full,
    or the partnership's quota reached: the waiting list."""
    event = _locked(event_id)
    if not selectors.may_see(actor, event):
        raise AccessRefused(hidden=True, perm=None)
    if event.is_cancelled:
        raise ValidationError(_("This event is cancelled: it takes no registrations."), "cancelled")
    if event.starts_at <= timezone.now():
        raise ValidationError(_("This event has begun: it takes no registrations."), "started")
    if Registration.objects.filter(event=event, person=actor, status__in=ACTIVE).exists():
        raise ValidationError(_("You are registered for this event already."), "twice")
    if partnership is not None:
        mine = selectors.partnership_ids_of(actor)
        if partnership.pk not in mine or partnership.network_id != event.network_id:
            raise ValidationError(
                _("You can only come for a partnership of this network you belong to."),
                "not_your_partnership",
            )
    registered, per = _taken(event)
    now = timezone.now()
    fits = _fits(event, partnership.pk if partnership else None, registered=registered, per=per)
    registration = Registration(
        event=event,
        person=actor,
        partnership=partnership,
        status=RegistrationStatus.REGISTERED if fits else RegistrationStatus.WAITING,
        waiting_since=None if fits else now,
    )
    registration.save()
    audit_record(
        actor=actor,
        action="register" if fits else "wait",
        obj=registration,
        after={"event": event.pk, "status": registration.status},
    )
    return registration


@transaction.atomic
def registration_cancel(*, actor: User, registration_id: int) -> Registration:
    """The person (or a manager) cancels a registration or a place on the waiting list; the
    first waiting people who now fit move up and are told."""
    found = Registration.objects.filter(pk=registration_id).values_list("event_id", flat=True)
    event_id = found.first()
    if event_id is None:
        raise AccessRefused(hidden=True, perm=None)
    event = _locked(event_id)
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if registration.person_id != actor.pk and not selectors.is_manager(actor):
        raise AccessRefused(hidden=True, perm=Perm.EVENT_MANAGE)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("This registration is cancelled already."), "cancelled")
    registration.cancelled_at = timezone.now()
    transition_audited(obj=registration, action="cancel", field="status", actor=actor)
    if registration.person_id != actor.pk:  # a manager cancelled it: the person is told
        notify(
            [registration.person],
            Message(
                subject=gettext_noop("Your registration was cancelled: %(title)s"),
                body=gettext_noop(
                    "The organisers cancelled your registration for “%(title)s”. "
                    "See the event's page: %(link)s"
                ),
                params={"title": _title(event)},
                link=_link(event),
            ),
        )
    _move_up(event, actor=actor)
    return registration


def _move_up(event: Event, *, actor: User | None) -> list[Registration]:
    """Give free places to the waiting list in its order (the event is locked): a waiting
    person whose partnership's quota is full is passed over, keeping their place. Nothing
    moves once the event has begun or when it is cancelled."""
    if event.is_cancelled or event.starts_at <= timezone.now():
        return []
    registered, per = _taken(event)
    moved: list[Registration] = []
    for waiting in selectors.waiting_list(event).select_related("person"):
        if event.capacity is not None and registered >= event.capacity:
            break
        if not _fits(event, waiting.partnership_id, registered=registered, per=per):
            continue
        waiting.promoted_at = timezone.now()
        transition_audited(
            obj=waiting, action="promote", field="status", actor=actor, reason="place free"
        )
        registered += 1
        if waiting.partnership_id is not None:
            per[waiting.partnership_id] = per.get(waiting.partnership_id, 0) + 1
        moved.append(waiting)
    if moved:
        notify(
            [r.person for r in moved],
            Message(
                subject=gettext_noop("You have a place: %(title)s"),
                body=gettext_noop(
                    "A place came free at “%(title)s” and you moved up from the waiting "
                    "list: you are registered. %(link)s"
                ),
                params={"title": _title(event)},
                link=_link(event),
            ),
        )
    return moved


@transaction.atomic
def attendance_record(*, actor: User, event_id: int, attended: dict[int, bool]) -> int:
    """Who came, recorded once the event has begun (registered people only). Returns how many
    answers changed."""
    event = _locked(event_id)
    if event.starts_at > timezone.now():
        raise ValidationError(
            _("Attendance can be recorded once the event has begun."), "not_started"
        )
    if event.is_cancelled:
        raise ValidationError(_("A cancelled event has no attendance."), "cancelled")
    rows = Registration.objects.filter(
        event=event, status=RegistrationStatus.REGISTERED, pk__in=list(attended)
    )
    changed = 0
    for registration in rows:
        value = attended[registration.pk]
        if registration.attended == value:
            continue
        before = registration.attended
        registration.attended = value
        registration.save(update_fields=["attended"])
        audit_record(
            actor=actor,
            action="attendance",
            obj=registration,
            before={"attended": before},
            after={"attended": value},
        )
        changed += 1
    return changed


@transaction.atomic
def event_materials_set(*, actor: User, event_id: int, documents: list[Document]) -> Event:
    """Share these documents (the network's or its partnerships') with the participants."""
    event = _locked(event_id)
    allowed = set(selectors.material_documents_available(event).values_list("pk", flat=True))
    if any(document.pk not in allowed for document in documents):
        raise ValidationError(
            _("Only documents of this network or of its partnerships can be shared."),
            "foreign_document",
        )
    before = sorted(event.materials.values_list("pk", flat=True))
    event.materials.set(documents)
    after = sorted(d.pk for d in documents)
    if before != after:
        audit_record(
            actor=actor,
            action="materials",
            obj=event,
            before={"materials": before},
            after={"materials": after},
        )
    return event


@transaction.atomic
def event_material_upload(
    *, actor: User, event_id: int, title: str, category: str, language: str, file: IO[bytes]
) -> Document:
    """A new document of the event's network (checked and stored by the documents app), shared
    at once with the participants."""
    event = _locked(event_id)
    document = document_upload(
        actor=actor,
        network=event.network,
        title=title,
        category=category,
        language=language,
        file=file,
    )
    event.materials.add(document)
    audit_record(actor=actor, action="material_upload", obj=event, after={"material": document.pk})
    return document


# The person's secret calendar address -------------------------------------------------------
@transaction.atomic
def calendar_feed_reset(*, actor: User) -> str:
    """A new secret calendar address for the person (the old one stops working). Returns the
    token: it is stored only as its digest, so this is the one moment it can be shown."""
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.update_or_create(
        user=actor, defaults={"token_digest": selectors.token_digest(token)}
    )
    audit_record(actor=actor, action="create" if created else "reset", obj=feed)
    return token
