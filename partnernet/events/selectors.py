"""Reads of events, registrations and calendars, and the one fetch `event_for_user`.

Who sees an event: a public one anyone; one that is not public the managers (`EVENT_MANAGE`)
and the people of the network's partnerships. Everyone else gets 404, as if it did not exist."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from partnernet.accounts.models import User
from partnernet.accounts.permissions import NOBODYS, AccessRefused, Perm, may, reach
from partnernet.documents.models import Document, DocumentVersion
from partnernet.partnerships.models import Network, Partnership
from partnernet.workspace.models import Activity, TeamMember

from .models import ACTIVE, CalendarFeed, Event, Registration, RegistrationStatus

Person = User | AnonymousUser


def is_manager(user: Person) -> bool:
    """Programme officers and network coordinators manage every network's events."""
    return may(user, Perm.EVENT_MANAGE, NOBODYS)


def partnership_ids_of(user: Person) -> set[int]:
    """The partnerships the person works in: a municipal or partnership role (not staff, who
    reach every partnership without belonging to one) or a place in a partnership's team."""
    if not isinstance(user, User) or not user.is_authenticated:
        return set()
    where = reach(user, Perm.WORKSPACE_VIEW)
    ids: set[int] = set(where.partnerships)
    if where.whole_municipalities:
        ids |= set(
            Partnership.objects.filter(
                Q(swedish_partner_id__in=where.whole_municipalities)
                | Q(partner_id__in=where.whole_municipalities)
            ).values_list("id", flat=True)
        )
    ids |= set(TeamMember.objects.filter(user_id=user.pk).values_list("partnership_id", flat=True))
    return ids


def partnerships_for_registration(*, user: Person, network: Network) -> list[Partnership]:
    """The network's partnerships the person may come for (registration's choice)."""
    ids = partnership_ids_of(user)
    if not ids:
        return []
    return list(Partnership.objects.filter(id__in=ids, network=network).order_by("slug"))


def visible_events(*, user: Person, network: Network) -> QuerySet[Event]:
    """The network's events this person may see (public ones, and the others for managers and
    the network's partnerships' people)."""
    rows = Event.objects.filter(network=network)
    if is_manager(user):
        return rows
    if partnership_ids_of(user) & set(network.partnerships.values_list("id", flat=True)):
        return rows
    return rows.filter(is_public=True)


def may_see(user: Person, event: Event) -> bool:
    if event.is_public or is_manager(user):
        return True
    ids = partnership_ids_of(user)
    return (
        bool(ids) and Partnership.objects.filter(id__in=ids, network_id=event.network_id).exists()
    )


def event_for_user(*, user: Person, slug: str, pk: int, perm: Perm | None = None) -> Event:
    """One event of the network `slug`: hidden (404) from a person who may not see it, refused
    (403) when `perm` is asked and they do not hold it."""
    event = Event.objects.select_related("network").filter(network__slug=slug, pk=pk).first()
    if event is None or not may_see(user, event):
        raise AccessRefused(hidden=True, perm=perm)
    if perm is not None and not may(user, perm, NOBODYS):
        raise AccessRefused(hidden=False, perm=perm)
    return event


@dataclass(frozen=True)
class EventListing:
    upcoming: list[Event]
    past: list[Event]


def event_list(*, user: Person, network: Network) -> EventListing:
    """Upcoming (not yet ended, soonest first) and past (latest first) events, each with its
    number of registered people (`registered_count`). One query (plus who the person is)."""
    now = timezone.now()
    rows: list[Event] = list(
        visible_events(user=user, network=network).annotate(
            registered_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
            )
        )
    )
    upcoming = [e for e in rows if e.ends_at >= now]
    past = sorted((e for e in rows if e.ends_at < now), key=lambda e: e.starts_at, reverse=True)
    return EventListing(upcoming=upcoming, past=past)


def events_public_upcoming(*, network: Network, limit: int = 5) -> list[Event]:
    """The network's public events that have not ended (for the network's public page)."""
    return list(
        Event.objects.filter(network=network, is_public=True, ends_at__gte=timezone.now()).order_by(
            "starts_at", "id"
        )[:limit]
    )


def events_public_upcoming_of_partnership(*, partnership_id: int, limit: int = 5) -> list[Event]:
    """The public events that have not ended and that people come to for the partnership (its
    public page): which events only, never who is registered. One query."""
    return list(
        Event.objects.filter(
            is_public=True,
            ends_at__gte=timezone.now(),
            registrations__partnership_id=partnership_id,
            registrations__status=RegistrationStatus.REGISTERED,
        )
        .distinct()
        .select_related("network")
        .order_by("starts_at", "id")[:limit]
    )


def registered_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def registration_of(*, user: Person, event: Event) -> Registration | None:
    """The person's active registration (registered or waiting), if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.filter(event=event, person_id=user.pk, status__in=ACTIVE)
        .select_related("partnership")
        .first()
    )


def registration_in(*, event: Event, pk: str | int) -> Registration:
    """A registration of this event by its id (404 for anything else, a foreign one too)."""
    found = Registration.objects.filter(event=event, pk=int(pk) if str(pk).isdigit() else 0)
    registration = found.select_related("person").first()
    if registration is None:
        raise AccessRefused(hidden=True, perm=Perm.EVENT_MANAGE)
    return registration


def waiting_position(registration: Registration) -> int:
    """1 for the first on the waiting list: by the time they joined it, then id."""
    earlier = Registration.objects.filter(
        event_id=registration.event_id, status=RegistrationStatus.WAITING
    ).filter(
        Q(waiting_since__lt=registration.waiting_since)
        | Q(waiting_since=registration.waiting_since, id__lt=registration.pk)
    )
    return earlier.count() + 1


def waiting_list(event: Event) -> QuerySet[Registration]:
    return Registration.objects.filter(event=event, status=RegistrationStatus.WAITING).order_by(
        "waiting_since", "id"
    )


def registrations_of_event(event: Event) -> list[Registration]:
    """Every registration with its person and partnership: registered first, then the waiting
    list in order, then the cancelled. Two queries whatever their number."""
    rows = list(
        Registration.objects.filter(event=event).select_related(
            "person", "partnership__swedish_partner", "partnership__partner"
        )
    )
    order = {RegistrationStatus.REGISTERED: 0, RegistrationStatus.WAITING: 1}
    far = timezone.now().replace(year=9999)
    return sorted(
        rows,
        key=lambda r: (order.get(r.status, 2), r.waiting_since or r.created_at or far, r.pk),
    )


def materials_of(event: Event) -> list[Document]:
    """The event's materials, each with its versions (newest first) prefetched."""
    return list(
        event.materials.order_by("title", "id").prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number"))
        )
    )


def material_documents_available(event: Event) -> QuerySet[Document]:
    """Documents a manager may share with an event's participants: the network's own, and
    those of its partnerships."""
    return Document.objects.filter(
        Q(network_id=event.network_id) | Q(partnership__network_id=event.network_id)
    ).order_by("title", "id")


def material_version_for_user(*, user: Person, event: Event, document_pk: int) -> DocumentVersion:
    """The current file of one material: for the event's registered people and managers."""
    document = event.materials.filter(pk=document_pk).first()
    version = (
        DocumentVersion.objects.filter(document=document).order_by("-number").first()
        if document is not None
        else None
    )
    if version is None:
        raise AccessRefused(hidden=True, perm=None)
    if not (is_manager(user) or is_registered(user=user, event=event)):
        raise AccessRefused(hidden=False, perm=None)
    return version


def is_registered(*, user: Person, event: Event) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Registration.objects.filter(
        event=event, person_id=user.pk, status=RegistrationStatus.REGISTERED
    ).exists()


# Calendars ----------------------------------------------------------------------------------
def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_owner(*, token: str) -> User | None:
    """The person whose secret calendar address this is (None: unknown, reset, inactive)."""
    feed = CalendarFeed.objects.select_related("user").filter(token_digest=token_digest(token))
    found = feed.first()
    if found is None or not found.user.is_active:
        return None
    return found.user


def calendar_feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def public_network_events(network: Network) -> QuerySet[Event]:
    return Event.objects.filter(network=network, is_public=True).select_related("network")


def events_registered_for(
    *, person_ids: Iterable[int] = (), partnership_ids: Iterable[int] = ()
) -> QuerySet[Event]:
    """Events with a registered person among `person_ids` or coming for `partnership_ids`."""
    person_ids, partnership_ids = list(person_ids), list(partnership_ids)
    condition = Q(pk__in=[])
    if person_ids:
        condition |= Q(
            registrations__person_id__in=person_ids,
            registrations__status=RegistrationStatus.REGISTERED,
        )
    if partnership_ids:
        condition |= Q(
            registrations__partnership_id__in=partnership_ids,
            registrations__status=RegistrationStatus.REGISTERED,
        )
    return Event.objects.filter(condition).distinct().select_related("network")


def activities_of(partnership_ids: Iterable[int]) -> QuerySet[Activity]:
    return Activity.objects.filter(partnership_id__in=partnership_ids).select_related("partnership")


def activity_for_partnership(*, partnership: Partnership, pk: int) -> Activity:
    activity = Activity.objects.filter(partnership=partnership, pk=pk).first()
    if activity is None:
        raise AccessRefused(hidden=True, perm=Perm.WORKSPACE_VIEW)
    return activity
