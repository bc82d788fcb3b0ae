"""Composes the IATI documents from the published data (reads only)."""

from collections.abc import Iterator

from django.db.models import Sum
from django.db.models.functions import ExtractYear
from lxml import etree

from partnernet.partnerships.models import FundingTransaction
from partnernet.partnerships.projection import blanked_by, public_text
from partnernet.partnerships.selectors import partnerships_public

from . import conf, iati, selectors


def reporting_org() -> dict:
    return {
        "ref": conf.iati_reporting_org(),
        "name": conf.iati_reporting_org_name(),
        "type": conf.iati_reporting_org_type(),
    }


def iati_activities() -> Iterator[etree._Element]:
    """One `iati-activity` per published partnership's public projection, loaded in chunks."""
    org = reporting_org()
    for chunk in selectors.iter_published_in_chunks():
        ids = [p.id for p in chunk]
        indicators = selectors.partnership_indicators(ids)
        reporting = selectors.partnership_reporting(ids)
        for partnership in partnerships_public(chunk):
            reported = reporting[partnership.id]
            if reported.statements:  # the approved results plan, with its reported actuals
                results = iati.results_from_plan(
                    reported.statements,
                    reported.periods,
                    lambda text, lang, p=partnership: public_text(p, text, lang),
                )
            else:
                results = iati.results_from_indicators(indicators.get(partnership.id, ()))
            yield iati.activity_element(partnership, org=org, results=results, reporting=reported)


def iati_activities_stream() -> Iterator[bytes]:
    return iati.stream_activities(iati_activities())


def iati_activities_write(output) -> None:
    iati.write_activities(output, iati_activities())


def _money_public() -> list[int]:
    # JSON containment is not portable to SQLite; the private-field lists are short.
    return [
        pk
        for pk, private in selectors.published_partnerships().values_list("id", "private_fields")
        if "transactions" not in blanked_by(private)
    ]


def commitments_by_country() -> list[tuple[int, str, int]]:
    """(year, the international partner's country, committed) over published partnerships
    whose money is public: the recipient-country budgets (the country is public even when the
    partner is kept private)."""
    rows = (
        FundingTransaction.objects.filter(partnership__in=_money_public(), kind="commitment")
        .annotate(year=ExtractYear("date"))
        .values("year", "partnership__partner__country_id")
        .annotate(total=Sum("amount"))
        .order_by("year", "partnership__partner__country_id")
    )
    return [
        (row["year"], row["partnership__partner__country_id"], int(row["total"] or 0))
        for row in rows
        if row["partnership__partner__country_id"]
    ]


def funding_by_year() -> list[tuple[int, int, int]]:
    """(year, committed, disbursed) over published partnerships whose money is public."""
    public = _money_public()
    rows = (
        FundingTransaction.objects.filter(partnership__in=public)
        .annotate(year=ExtractYear("date"))
        .values("year", "kind")
        .annotate(total=Sum("amount"))
        .order_by("year")
    )
    years: dict[int, list[int]] = {}
    for row in rows:
        slot = years.setdefault(row["year"], [0, 0])
        slot[0 if row["kind"] == "commitment" else 1] += int(row["total"] or 0)
    return [(year, committed, disbursed) for year, (committed, disbursed) in sorted(years.items())]


def iati_organisation_document() -> bytes:
    return iati.organisation_document(
        iati.organisation_element(
            org=reporting_org(), years=funding_by_year(), country_years=commitments_by_country()
        )
    )
