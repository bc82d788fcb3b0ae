"""Small data of our own: the six seed pairs share their dates and carry no money, so tests of
what a private field or a transaction does build a partnership where every field is filled."""

from datetime import date

from django.utils import timezone

from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import (
    CooperationArea,
    FundingTransaction,
    Network,
    Partnership,
    Tag,
)


def unused_hromada(offset: int = 0) -> Municipality:
    used = Partnership.objects.values_list("partner_id", flat=True)
    return (
        Municipality.objects.filter(country_id="UA").exclude(pk__in=used).order_by("code")[offset]
    )


def partnership(
    *,
    swedish: str = "0180",
    slug: str = "",
    publication: str = "published",
    tags=("schools",),
    **fields,
) -> Partnership:
    swedish_side = Municipality.objects.get(code=swedish)
    partner = fields.pop("partner", None) or unused_hromada()
    values = {
        "slug": slug or f"{swedish_side.code}-{partner.code}".lower(),
        "title": f"{swedish_side.name} and {partner.name}",
        "title_sv": f"{swedish_side.name} och {partner.name}",
        "title_en": f"{swedish_side.name} and {partner.name}",
        "summary_sv": "Planering med invånare.",
        "summary_en": "Planning with residents.",
        "description_sv": "En längre beskrivning.",
        "description_en": "A longer description.",
        "phase": "project",
        "status": "active",
        "start_date": date(2023, 3, 1),
        "end_date": date(2025, 2, 28),
        "granted_amount": 250_000,
        "published_at": timezone.now() if publication == "published" else None,
        "network": Network.objects.get(slug="democratic-resilience"),
        "area": CooperationArea.objects.get(slug="education"),
        **fields,
    }
    item = Partnership.objects.create(
        swedish_partner=swedish_side, partner=partner, publication=publication, **values
    )
    item.goals.set([4, 16])
    item.tags.set([Tag.objects.get_or_create(slug=s, defaults={"name": s})[0] for s in tags])
    return item


def money(item: Partnership, kind: str, day: date, amount: int, **fields) -> FundingTransaction:
    return FundingTransaction.objects.create(
        partnership=item, kind=kind, date=day, amount=amount, **fields
    )


def make_private(item: Partnership, *fields: str) -> Partnership:
    Partnership.objects.filter(pk=item.pk).update(private_fields=list(fields))
    item.refresh_from_db()
    return item
