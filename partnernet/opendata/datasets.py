"""The CSV/JSON datasets: their fields (the Frictionless table schema) and their rows.

Rows are plain lists produced by pure functions from loaded objects; text that is translated
gives one row per item and language. In the CSV, cells a spreadsheet would run as a formula
are defused (`partnernet.lib.cells`); the JSON keeps the text as it is.
"""

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from partnernet.lib.cells import neutralise_row
from partnernet.lib.languages import LANGUAGES
from partnernet.partnerships.projection import (
    blanked_by,
    public_partnership,
    public_partnerships,
    public_text,
)

from . import iati, selectors


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Frictionless type: string, integer, number, date, datetime
    description: str
    required: bool = False
    # Further Frictionless constraints (minimum, enum, …) beside `required`.
    constraints: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Dataset:
    name: str
    title: object
    description: object
    licence: str
    fields: tuple[Field, ...]
    rows: Callable[[], Iterable[list]]
    primary_key: tuple[str, ...] = ("id", "language")


def cell(value) -> object:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def text(obj, field: str, lang: str) -> str:
    """The stored text of one language version (empty when that translation is missing)."""
    return getattr(obj, f"{field}_{lang}", "") or ""


MONEY = Decimal("0.01")


# --- partnerships ---------------------------------------------------------------------------

PARTNERSHIP_FIELDS = (
    Field("id", "string", "Slug of the partnership (stable identifier).", True),
    Field("language", "string", "Language of the text columns: sv, uk or en.", True),
    Field("translation", "string", "original, current, outdated or missing.", True),
    Field("title", "string", "Title in this language."),
    Field("summary", "string", "Focus in this language (empty when kept private)."),
    Field("description", "string", "Description in this language (empty when kept private)."),
    Field("swedish_partner_code", "string", "Kommunkod of the Swedish partner.", True),
    Field("swedish_partner_name", "string", "Name of the Swedish partner in this language."),
    Field("partner_code", "string", "Official code of the international partner (KATOTTG)."),
    Field("partner_name", "string", "Name of the international partner in this language."),
    Field("partner_country", "string", "ISO alpha-2 country of the international partner."),
    Field("network", "string", "Network slug.", True),
    Field("area", "string", "Cooperation area slug.", True),
    Field("dac_sector", "string", "OECD DAC 5-digit purpose code of the area."),
    Field("goals", "string", "Global goal numbers, separated by ';'."),
    Field("tags", "string", "Tag slugs, separated by ';'."),
    Field("phase", "string", "interest, inception, project or completed.", True),
    Field("status", "string", "planned, active, paused or closed.", True),
    Field("start_date", "date", "Start of the partnership."),
    Field("end_date", "date", "Planned or actual end."),
    Field("granted_amount_sek", "integer", "Funds granted, in SEK."),
    Field("published_at", "datetime", "When the partnership was published."),
    Field("url", "string", "Public page in this language (path)."),
)


def partnership_rows(item) -> Iterator[list]:
    """One row per language of the public projection; columns of private fields stay empty."""
    item = public_partnership(item)
    partner = item.partner
    goals = ";".join(str(g.number) for g in item.goals.all())
    tags = ";".join(t.slug for t in item.tags.all())
    amount = int(item.granted_amount) if item.granted_amount is not None else None
    for lang in LANGUAGES:
        values = [
            item.slug,
            lang,
            item.translation_state(lang),
            text(item, "title", lang),
            text(item, "summary", lang),
            text(item, "description", lang),
            item.swedish_partner.code,
            text(item.swedish_partner, "name", lang),
            partner.code if partner else "",
            text(partner, "name", lang) if partner else "",
            item.partner_country.code,  # public even when the municipality is not
            item.network.slug,
            item.area.slug,
            item.area.dac_sector,
            goals,
            tags,
            item.phase,
            item.status,
            item.start_date,
            item.end_date,
            amount,
            item.published_at,
            f"/{lang}/partnerships/{item.slug}/",
        ]
        yield [cell(v) for v in values]


def all_partnership_rows() -> Iterator[list]:
    for item in selectors.published_partnerships().iterator(chunk_size=selectors.CHUNK):
        yield from partnership_rows(item)


# --- municipalities -------------------------------------------------------------------------

MUNICIPALITY_FIELDS = (
    Field(
        "id",
        "string",
        "Official code: kommunkod (SCB), the county code of a Swedish region (SE24), KATOTTG, "
        "or another country's ISO code followed by its official code.",
        True,
    ),
    Field("language", "string", "Language of the name column: sv, uk or en.", True),
    Field("name", "string", "Name in this language."),
    Field("country", "string", "ISO alpha-2 country code (SE, UA, MD, GE, …).", True),
    Field(
        "kind",
        "string",
        "kommun, region, urban, settlement, rural, special_city, oblast or local.",
        True,
    ),
    Field("official_name", "string", "Official name in the source."),
    Field("name_latin", "string", "Official Latin transliteration."),
    Field("region_code", "string", "Code of the county (län) or oblast."),
    Field("population", "integer", "Population (empty where no source has it)."),
    Field("population_date", "date", "Date of the population figure."),
    Field(
        "latitude",
        "number",
        "WGS84: polygon centroid; for a region or oblast the mean of its municipalities'.",
    ),
    Field("longitude", "number", "WGS84, as the latitude."),
)


def municipality_rows(item) -> Iterator[list]:
    region = item.region.code if item.region_id else ""
    for lang in LANGUAGES:
        values = [
            item.code,
            lang,
            text(item, "name", lang) or item.name,
            item.country_id,
            item.kind,
            item.official_name,
            item.name_latin,
            region,
            item.population,
            item.population_date,
            item.latitude,
            item.longitude,
        ]
        yield [cell(v) for v in values]


def all_municipality_rows() -> Iterator[list]:
    for item in selectors.published_municipalities().iterator(chunk_size=2000):
        yield from municipality_rows(item)


# --- networks -------------------------------------------------------------------------------

NETWORK_FIELDS = (
    Field("id", "string", "Slug of the network.", True),
    Field("language", "string", "Language of the text columns: sv, uk or en.", True),
    Field("name", "string", "Name in this language."),
    Field("description", "string", "Description in this language."),
    Field("funder", "string", "Funding organisation."),
    Field("launched_on", "date", "When the network was launched."),
    Field("partnerships", "integer", "Published partnerships in the network.", True),
)


def network_rows(item) -> Iterator[list]:
    for lang in LANGUAGES:
        values = [
            item.slug,
            lang,
            text(item, "name", lang),
            text(item, "description", lang),
            item.funder,
            item.launched_on,
            item.published,
        ]
        yield [cell(v) for v in values]


def all_network_rows() -> Iterator[list]:
    for item in selectors.published_networks():
        yield from network_rows(item)


# --- results (the approved results plans and the approved reports' actuals) -------------------

LEVELS = ("objective", "outcome", "output")
RESULT_FIELDS = (
    Field("partnership", "string", "Public identifier (slug) of the partnership.", True),
    Field("language", "string", "Language the statement was written in: sv, uk or en.", True),
    Field(
        "level",
        "string",
        "Level in the logical framework: objective, outcome or output.",
        True,
        (("enum", list(LEVELS)),),
    ),
    Field("result", "string", "The objective, outcome or output the indicator measures."),
    Field(
        "indicator_id", "string", "Stable identifier of the indicator (all plan versions).", True
    ),
    Field("indicator", "string", "What the indicator measures."),
    Field("unit", "string", "Unit of the values (%, people, schools, …)."),
    Field("baseline", "number", "Value before the partnership started its work.", True),
    Field("baseline_date", "date", "When the baseline was measured."),
    Field("year", "integer", "Accounting year.", True, (("minimum", 2000),)),
    Field("period_start", "date", "First day of the accounting year's period.", True),
    Field("period_end", "date", "Last day of the accounting year's period.", True),
    Field("target", "number", "Value the indicator should reach in this period."),
    Field("actual", "number", "Value reached, from the period's approved report only."),
)


def result_rows(item, reporting) -> Iterator[list]:
    """One row per indicator of the approved plan and accounting year with a target or an
    actual; statements and indicator names through the projection's scrubber."""
    spans = iati.accounting_periods(reporting.periods, reporting.statements)
    for statement in reporting.statements:
        lang = statement.language
        for indicator in statement.indicators:
            for year in sorted(set(indicator.targets) | set(indicator.actuals)):
                start, end = spans[year]
                values = [
                    item.slug,
                    lang,
                    statement.level,
                    public_text(item, statement.text, lang),
                    indicator.lineage,
                    public_text(item, indicator.name, lang),
                    indicator.unit,
                    indicator.baseline,
                    indicator.baseline_date,
                    year,
                    start,
                    end,
                    indicator.targets.get(year),
                    indicator.actuals.get(year),
                ]
                yield [cell(v) for v in values]


# --- finances (budgets and the approved reports' money) ----------------------------------------

FINANCE_FIELDS = (
    Field("partnership", "string", "Public identifier (slug) of the partnership.", True),
    Field("year", "integer", "Accounting year of the report.", True, (("minimum", 2000),)),
    Field("period_start", "date", "First day of the report's period.", True),
    Field("period_end", "date", "Last day of the report's period.", True),
    Field(
        "budget_sek",
        "integer",
        "Budget of the agreement year the period falls in, in SEK.",
        False,
        (("minimum", 0),),
    ),
    Field(
        "reported_sek",
        "number",
        "Eligible costs of the approved report, in SEK (other currencies at the recorded rate).",
        True,
        (("minimum", 0),),
    ),
    Field(
        "reimbursed_sek",
        "number",
        "Paid to the Swedish partner for the report, in SEK (empty: not yet).",
        False,
        (("minimum", 0),),
    ),
    Field("reimbursed_on", "date", "When the reimbursement was paid."),
)


def finance_rows(item, reporting) -> Iterator[list]:
    """One row per approved report; none when the partnership keeps its money private."""
    if "transactions" in blanked_by(item.private_fields):
        return
    for report in reporting.reports:
        values = [
            item.slug,
            report.year,
            report.period_start,
            report.period_end,
            int(report.budget) if report.budget is not None else None,
            report.reported.quantize(MONEY),
            report.reimbursed.quantize(MONEY) if report.reimbursed is not None else None,
            report.reimbursed_on,
        ]
        yield [cell(v) for v in values]


def _reported_rows(rows: Callable) -> Iterator[list]:
    for chunk in selectors.iter_published_in_chunks():
        reporting = selectors.partnership_reporting([p.id for p in chunk])
        for item in public_partnerships(chunk):
            yield from rows(item, reporting[item.id])


def all_result_rows() -> Iterator[list]:
    return _reported_rows(result_rows)


def all_finance_rows() -> Iterator[list]:
    return _reported_rows(finance_rows)


CONTENT_LICENCE = "CC-BY-4.0"
DATASETS = {
    "partnerships": Dataset(
        "partnerships",
        _("Partnerships"),
        _("Published municipal partnerships, one row per partnership and language."),
        CONTENT_LICENCE,
        PARTNERSHIP_FIELDS,
        all_partnership_rows,
    ),
    "municipalities": Dataset(
        "municipalities",
        _("Municipalities"),
        _(
            "Registry of the 290 Swedish municipalities, the Ukrainian hromadas and Kyiv, "
            "one row per municipality and language."
        ),
        "registry",
        MUNICIPALITY_FIELDS,
        all_municipality_rows,
    ),
    "networks": Dataset(
        "networks",
        _("Networks"),
        _("Networks of partnerships, one row per network and language."),
        CONTENT_LICENCE,
        NETWORK_FIELDS,
        all_network_rows,
    ),
    "results": Dataset(
        "results",
        _("Results"),
        _(
            "Indicators of the partnerships' approved results plans: baseline, target and the "
            "value reached according to approved reports, one row per indicator and year."
        ),
        CONTENT_LICENCE,
        RESULT_FIELDS,
        all_result_rows,
        primary_key=("partnership", "indicator_id", "year"),
    ),
    "finances": Dataset(
        "finances",
        _("Finances"),
        _(
            "Budget, reported costs and reimbursement in SEK of each approved report, one row "
            "per partnership and report period."
        ),
        CONTENT_LICENCE,
        FINANCE_FIELDS,
        all_finance_rows,
        primary_key=("partnership", "period_start", "period_end"),
    ),
}


# --- serialisations (streamed) ----------------------------------------------------------------


class _Line:
    """csv.writer target that returns what it was given, so each row becomes one chunk."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(dataset: Dataset, rows: Iterable[list] | None = None) -> Iterator[str]:
    """Header then one CSV line per row (RFC 4180, CRLF line ends)."""
    writer = csv.writer(_Line())
    yield writer.writerow([f.name for f in dataset.fields])
    for row in dataset.rows() if rows is None else rows:
        yield writer.writerow(neutralise_row(row))


def json_chunks(dataset: Dataset, rows: Iterable[list] | None = None) -> Iterator[str]:
    """A JSON array of objects, one per row, typed as in the table schema."""
    names = [f.name for f in dataset.fields]
    types = [f.type for f in dataset.fields]
    yield "["
    for index, row in enumerate(dataset.rows() if rows is None else rows):
        item = {n: _json_value(v, t) for n, v, t in zip(names, row, types, strict=True)}
        yield ("," if index else "") + "\n" + json.dumps(item, ensure_ascii=False)
    yield "\n]\n"


def _json_value(value, kind: str):
    if value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    return value
