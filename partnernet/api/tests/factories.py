import factory

from partnernet.accounts.models import Organisation, Role, RoleAssignment, User
from partnernet.municipalities.models import Municipality


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"api-person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")


def coordinator_of(partnership, *, user=None) -> User:
    """A municipal coordinator scoped to `partnership`, on the Swedish side."""
    user = user or UserFactory()
    municipality = Municipality.objects.get(pk=partnership.swedish_partner_id)
    organisation, _ = Organisation.objects.get_or_create(
        municipality=municipality, defaults={"name": municipality.name, "kind": "municipality"}
    )
    RoleAssignment.objects.create(
        user=user,
        role=Role.MUNICIPAL_COORDINATOR,
        organisation=organisation,
        partnership=partnership,
    )
    return user


def whole_municipality_coordinator(municipality, *, user=None) -> User:
    """A municipal coordinator of every partnership of `municipality` (no partnership scope)."""
    user = user or UserFactory()
    organisation, _ = Organisation.objects.get_or_create(
        municipality=municipality, defaults={"name": municipality.name, "kind": "municipality"}
    )
    RoleAssignment.objects.create(
        user=user, role=Role.MUNICIPAL_COORDINATOR, organisation=organisation
    )
    return user


def partnership(
    *,
    swedish: str = "0180",
    partner: str | None = None,
    slug: str = "",
    goals=(16,),
    tags=(),
    publication: str = "published",
    **fields,
):
    """A small partnership of our own, with every privatisable field filled, so a test sees
    what blanking one of them does (the six seed pairs share their dates and have no money)."""
    from datetime import date

    from django.utils import timezone

    from partnernet.partnerships.models import CooperationArea, Network, Partnership, Tag

    swedish_side = Municipality.objects.get(code=swedish)
    if partner is None:
        used = Partnership.objects.values_list("partner_id", flat=True)
        other = Municipality.objects.filter(country_id="UA").exclude(pk__in=used).order_by("code")
        international = other.first()
    else:
        international = Municipality.objects.get(code=partner)
    defaults = {
        "slug": slug or f"{swedish_side.code}-{international.code}".lower(),
        "title": f"{swedish_side.name} and {international.name}",
        "title_en": f"{swedish_side.name} and {international.name}",
        "summary_en": "Planning with residents.",
        "summary_sv": "Planering med invånare.",
        "description_en": "A longer description of the work.",
        "description_sv": "En längre beskrivning av arbetet.",
        "phase": "project",
        "status": "active",
        "start_date": date(2023, 3, 1),
        "end_date": date(2025, 2, 28),
        "granted_amount": 250_000,
        "published_at": timezone.now() if publication == "published" else None,
        "network": Network.objects.get(slug="democratic-resilience"),
        "area": CooperationArea.objects.get(slug="education"),
    }
    item = Partnership.objects.create(
        swedish_partner=swedish_side,
        partner=international,
        publication=publication,
        **{**defaults, **fields},
    )
    item.goals.set(goals)
    item.tags.set([Tag.objects.get_or_create(slug=s, defaults={"name": s})[0] for s in tags])
    return item
