"""Test objects for events: meetings of the seed network, people of its partnerships, and
documents with a stored version (as the documents app stores them)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from partnernet.accounts.models import Organisation, Role, RoleAssignment, User
from partnernet.accounts.tests.factories import UserFactory
from partnernet.documents.models import Document, DocumentVersion
from partnernet.events.models import Event
from partnernet.partnerships.models import Network, Partnership

NETWORK = "democratic-resilience"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def network() -> Network:
    return Network.objects.get(slug=NETWORK)


def partnership(slug: str = "falun-kolomyia") -> Partnership:
    return Partnership.objects.select_related("swedish_partner", "partner").get(slug=slug)


def event(**overrides) -> Event:
    start = overrides.pop("starts_at", timezone.now() + timedelta(days=10))
    values = {
        "network": network(),
        "title_sv": "Verkstad",
        "title_en": "Workshop",
        "title_uk": "Семінар",
        "agenda_sv": "Dagordning",
        "agenda_en": "Agenda",
        "agenda_uk": "Порядок денний",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "time_zone": "Europe/Stockholm",
        "place": "Visby",
        **overrides,
    }
    return Event.objects.create(**values)


def member(slug: str = "falun-kolomyia", *, language: str = "sv", **kwargs) -> User:
    """A project member of the partnership (on its Swedish side)."""
    p = partnership(slug)
    user = UserFactory(preferred_language=language, **kwargs)
    organisation = Organisation.objects.get(municipality=p.swedish_partner)
    RoleAssignment.objects.create(
        user=user, role=Role.PROJECT_MEMBER, organisation=organisation, partnership=p
    )
    return user


def outsider(**kwargs) -> User:
    """Signed in, in no partnership and with no role."""
    return UserFactory(**kwargs)


def document(*, with_network: bool = True, title: str = "Programme") -> Document:
    doc = Document.objects.create(
        network=network() if with_network else None,
        partnership=None if with_network else partnership(),
        title=title,
        category="presentation",
        language="en",
    )
    version = DocumentVersion(
        document=doc,
        number=1,
        original_name="programme.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    version.file.save("programme.pdf", ContentFile(PDF), save=False)
    version.save()
    return doc
