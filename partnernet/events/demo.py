"""Demo step: the seed network's kick-off in Visby (mid-December 2026, agenda in three
languages) with people of all six partnerships registered, and an online follow-up. Idempotent:
the meetings are found again by their Swedish title, the registrations by person."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from partnernet.accounts.models import User
from partnernet.lib.languages import LANGUAGES
from partnernet.partnerships.models import Network, Partnership

from . import seed
from .models import ACTIVE, Event, Registration, RegistrationStatus

NETWORK = "democratic-resilience"


def _moment(text: str, zone: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def _event(network: Network, data: dict) -> Event:
    zone = data["time_zone"]
    values = {
        "starts_at": _moment(data["starts_at"], zone),
        "ends_at": _moment(data["ends_at"], zone),
        "time_zone": zone,
        "place": data.get("place", ""),
        "online_url": data.get("online_url", ""),
        "capacity": data.get("capacity"),
        "partnership_quota": data.get("partnership_quota"),
        "is_public": True,
        "source_language": "sv",
    }
    for name in ("title", "agenda"):
        for lang in LANGUAGES:
            values[f"{name}_{lang}"] = data[f"{name}_{lang}"]
    event = Event.objects.filter(network=network, title_sv=data["title_sv"]).first()
    if event is None:
        stamp = timezone.now().isoformat()
        return Event.objects.create(
            network=network, translated_at={"en": stamp, "uk": stamp}, **values
        )
    changed = [k for k, v in values.items() if getattr(event, k) != v]
    if changed:
        Event.objects.filter(pk=event.pk).update(**values, sequence=event.sequence + 1)
        event.refresh_from_db()
    return event


def _people_of(partnership: Partnership) -> list[User]:
    """The demo people of a partnership (its two coordinators, and Falun–Kolomyia's project
    and steering-group members), in a fixed order."""
    return list(User.objects.filter(roles__partnership=partnership).distinct().order_by("email"))


def _register(event: Event, person: User, partnership: Partnership | None) -> None:
    if Registration.objects.filter(event=event, person=person, status__in=ACTIVE).exists():
        return
    Registration.objects.create(
        event=event, person=person, partnership=partnership, status=RegistrationStatus.REGISTERED
    )


@transaction.atomic
def events_demo_load() -> None:
    network = Network.objects.filter(slug=NETWORK).first()
    if network is None:
        return
    kick_off = _event(network, seed.KICK_OFF)
    follow_up = _event(network, seed.FOLLOW_UP)
    partnerships = Partnership.objects.filter(network=network).select_related(
        "swedish_partner", "partner"
    )
    for partnership in partnerships.order_by("slug"):
        people = _people_of(partnership)
        for person in people:
            _register(kick_off, person, partnership)
        for person in people[:1]:
            _register(follow_up, person, partnership)
    officer = User.objects.filter(email="officer@icld.example").first()
    if officer is not None:
        _register(kick_off, officer, None)
