"""Small data of our own: the six seed pairs share their dates and carry no money, so tests of
what a private field or a transaction does build a partnership where every field is filled."""

from datetime import date

from partnernet.api.tests.factories import partnership as api_partnership
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import (
    FundingTransaction,
    Partnership,
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
    """The API tests' partnership with every field filled, on an unused hromada, with the
    texts these tests read back."""
    swedish_side = Municipality.objects.get(code=swedish)
    partner = fields.pop("partner", None) or unused_hromada()
    texts = {
        "title_sv": f"{swedish_side.name} och {partner.name}",
        "description_sv": "En längre beskrivning.",
        "description_en": "A longer description.",
    }
    return api_partnership(
        swedish=swedish,
        partner=partner.code,
        slug=slug,
        goals=(4, 16),
        tags=tags,
        publication=publication,
        **{**texts, **fields},
    )


def money(item: Partnership, kind: str, day: date, amount: int, **fields) -> FundingTransaction:
    return FundingTransaction.objects.create(
        partnership=item, kind=kind, date=day, amount=amount, **fields
    )


def make_private(item: Partnership, *fields: str) -> Partnership:
    Partnership.objects.filter(pk=item.pk).update(private_fields=list(fields))
    item.refresh_from_db()
    return item
