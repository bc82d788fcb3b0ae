"""IATI 2.03 builders: one pure function per element, plus the streamed document writers.

Builders take plain values and return `lxml.etree` elements; `activity_element` composes them
for one partnership (already loaded with its relations). The writers stream one activity at a
time through `etree.xmlfile`, so memory stays flat however many partnerships are published.

Codes relied on that are not in `data/iati/codelists` (no TagVocabulary or BudgetStatus
codelist there): tag vocabulary 2 = UN SDG goals, 3 = UN SDG targets; budget status
2 = Committed. Everything else is checked against the codelist CSVs in the tests.
"""

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

from partnernet.lib.languages import LANGUAGES
from partnernet.partnerships.projection import blanked_by

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS_CODES = {"planned": "1", "active": "2", "paused": "2", "closed": "4"}
TRANSACTION_TYPES = {"commitment": "2", "disbursement": "3", "expenditure": "4"}
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING = "1", "2", "4"
ORG_TYPE_LOCAL_GOVERNMENT = "11"
TAG_SDG_GOAL, TAG_SDG_TARGET = "2", "3"
# Characters XML 1.0 cannot carry; one stray control character must not break the whole file.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    return NOT_XML.sub("", value)


# --- one function per element -------------------------------------------------------------


def narratives(parent: etree._Element, texts: dict[str, str]) -> etree._Element:
    """A `narrative` per language that has text, each with its `xml:lang`; the key "" is text
    in an unrecorded language (no `xml:lang`, so the activity's default is not claimed)."""
    for lang in (*LANGUAGES, ""):
        text = xml_text(texts.get(lang) or "").strip()
        if text:
            etree.SubElement(parent, "narrative", {XML_LANG: lang} if lang else {}).text = text
    return parent


def iati_identifier(org_ref: str, slug: str) -> etree._Element:
    element = etree.Element("iati-identifier")
    element.text = f"{org_ref}-{slug}"
    return element


def reporting_org(ref: str, org_type: str, name: str) -> etree._Element:
    element = etree.Element("reporting-org", ref=ref, type=org_type)
    return narratives(element, {"en": name})


def title(texts: dict[str, str]) -> etree._Element:
    return narratives(etree.Element("title"), texts)


def description(texts: dict[str, str], kind: str = "1") -> etree._Element:
    """Type 1 = general description."""
    return narratives(etree.Element("description", type=kind), texts)


def participating_org(
    role: str, names: dict[str, str], *, ref: str = "", org_type: str = ""
) -> etree._Element:
    attributes = {"role": role}
    if ref:
        attributes["ref"] = ref
    if org_type:
        attributes["type"] = org_type
    return narratives(etree.Element("participating-org", attributes), names)


def activity_status(status: str, phase: str = "") -> etree._Element:
    """Planned → 1 pipeline, active/paused → 2 implementation (3 finalisation once the
    partnership's phase is completed), closed → 4 closed."""
    code = STATUS_CODES.get(status, "2")
    if code == "2" and phase == "completed":
        code = "3"
    return etree.Element("activity-status", code=code)


def activity_date(kind: str, day: date) -> etree._Element:
    """Types: 1 planned start, 2 actual start, 3 planned end, 4 actual end."""
    return etree.Element("activity-date", {"iso-date": day.isoformat(), "type": kind})


def recipient_country(code: str = "UA") -> etree._Element:
    return etree.Element("recipient-country", code=code, percentage="100")


def sector(code: str, vocabulary: str = "1") -> etree._Element:
    """Vocabulary 1 = OECD DAC CRS 5-digit purpose code."""
    return etree.Element("sector", vocabulary=vocabulary, code=code, percentage="100")


def tag(vocabulary: str, code: str, text: str = "") -> etree._Element:
    element = etree.Element("tag", vocabulary=vocabulary, code=code)
    return narratives(element, {"en": text}) if text else element


def budget(start: date, end: date, amount: int, currency: str = "SEK") -> etree._Element:
    """Type 1 original, status 2 committed (the grant decision)."""
    element = etree.Element("budget", type="1", status="2")
    etree.SubElement(element, "period-start", {"iso-date": start.isoformat()})
    etree.SubElement(element, "period-end", {"iso-date": end.isoformat()})
    etree.SubElement(
        element, "value", {"currency": currency, "value-date": start.isoformat()}
    ).text = str(amount)
    return element


def transaction(
    kind: str,
    day: date,
    amount: int,
    currency: str,
    *,
    text: str = "",
    provider_ref: str = "",
    receiver: str = "",
    ref: str = "",
) -> etree._Element:
    """Commitment → transaction type 2, disbursement → 3, expenditure → 4."""
    element = etree.Element("transaction", {"ref": ref} if ref else {})
    etree.SubElement(element, "transaction-type", code=TRANSACTION_TYPES[kind])
    etree.SubElement(element, "transaction-date", {"iso-date": day.isoformat()})
    etree.SubElement(
        element, "value", {"currency": currency, "value-date": day.isoformat()}
    ).text = str(amount)
    if text:
        narratives(etree.SubElement(element, "description"), {"en": text})
    if provider_ref:
        etree.SubElement(element, "provider-org", ref=provider_ref)
    if receiver:
        narratives(etree.SubElement(element, "receiver-org"), {"sv": receiver})
    return element


def result(data: dict) -> etree._Element:
    """A result with its indicators: {"type", "title": {lang: text}, "indicators": [{"measure",
    "title", "baseline": {"year", "value"} | None, "periods": [{"start", "end", "target",
    "actual"}]}]}."""
    element = etree.Element("result", type=str(data.get("type", "1")))
    element.append(title(data["title"]))
    for item in data["indicators"]:
        element.append(indicator(item))
    return element


def indicator(data: dict) -> etree._Element:
    element = etree.Element("indicator", measure=str(data.get("measure", "1")))
    element.append(title(data["title"]))
    baseline = data.get("baseline")
    if baseline and baseline.get("year"):
        attributes = {"year": str(baseline["year"])}
        if baseline.get("iso_date"):
            attributes["iso-date"] = baseline["iso_date"].isoformat()
        if baseline.get("value") not in (None, ""):
            attributes["value"] = str(baseline["value"])
        etree.SubElement(element, "baseline", attributes)
    for period in data.get("periods", ()):
        element.append(result_period(period))
    return element


def result_period(data: dict) -> etree._Element:
    element = etree.Element("period")
    etree.SubElement(element, "period-start", {"iso-date": data["start"].isoformat()})
    etree.SubElement(element, "period-end", {"iso-date": data["end"].isoformat()})
    for name in ("target", "actual"):
        if data.get(name) not in (None, ""):
            etree.SubElement(element, name, value=str(data[name]))
    return element


RESULT_TYPES = {"output": "1", "outcome": "2", "objective": "3"}


def _year_of(period: str) -> int | None:
    head = str(period)[:4]
    return int(head) if head.isdigit() else None


def _number(value) -> str:
    return format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)


def results_from_indicators(items) -> list[dict]:
    """The grants app's indicators (`IndicatorResult`) grouped into IATI results: one result
    per LFA level and text, one period per calendar year with a target or an actual."""
    grouped: dict[tuple[str, str], list[dict]] = {}
    for item in items:
        years: dict[int, object] = {}
        for actual in item.actuals:
            year = _year_of(actual.period)
            if year:
                years[year] = actual.value
        if item.target_year:
            years.setdefault(item.target_year, None)
        periods = [
            {
                "start": date(y, 1, 1),
                "end": date(y, 12, 31),
                "target": _number(item.target) if y == item.target_year else None,
                "actual": _number(years[y]) if years[y] is not None else None,
            }
            for y in sorted(years)
        ]
        grouped.setdefault((item.level, item.result), []).append(
            {
                "measure": "2" if item.unit.strip() == "%" else "1",
                "title": {"": item.indicator},
                "baseline": {"year": item.baseline_year, "value": _number(item.baseline)},
                "periods": periods,
            }
        )
    return [
        {"type": RESULT_TYPES.get(level, "9"), "title": {"": text}, "indicators": indicators}
        for (level, text), indicators in grouped.items()
    ]


def results_from_plan(statements, periods: dict, scrub) -> list[dict]:
    """The approved results plan of the reports app as IATI results: the objective is an
    impact (3), outcomes 2, outputs 1; one period per accounting year with a target or an
    actual (the year's report period when there is one, else the calendar year). `scrub` is
    the projection's `public_text` for this partnership (statements and indicator names are
    free text that may name a private partner)."""
    spans = accounting_periods(periods, statements)
    found = []
    for statement in statements:
        lang = statement.language
        indicators = []
        for item in statement.indicators:
            years = sorted(set(item.targets) | set(item.actuals))
            baseline_on = item.baseline_date
            baseline_year = baseline_on.year if baseline_on else (years[0] if years else None)
            indicators.append(
                {
                    "measure": "2" if item.unit.strip() == "%" else "1",
                    "title": {"": scrub(item.name, lang)},
                    "baseline": {
                        "year": baseline_year,
                        "iso_date": baseline_on,
                        "value": _number(item.baseline),
                    },
                    "periods": [
                        {
                            "start": spans[y][0],
                            "end": spans[y][1],
                            "target": _number(item.targets[y]) if y in item.targets else None,
                            "actual": _number(item.actuals[y]) if y in item.actuals else None,
                        }
                        for y in years
                    ],
                }
            )
        found.append(
            {
                "type": RESULT_TYPES.get(statement.level, "9"),
                "title": {lang: scrub(statement.text, lang)},
                "indicators": indicators,
            }
        )
    return found


def accounting_periods(periods: dict, statements) -> dict[int, tuple[date, date]]:
    """Each accounting year's period: its report's, else the year after the previous year's
    report period (so periods do not overlap), else the calendar year."""
    years = set(periods)
    for statement in statements:
        for item in statement.indicators:
            years |= set(item.targets) | set(item.actuals)
    spans: dict[int, tuple[date, date]] = {}
    for year in sorted(years):
        if year in periods:
            spans[year] = periods[year]
        elif year - 1 in spans:
            end = spans[year - 1][1]
            spans[year] = (end + timedelta(days=1), _next_year(end))
        else:
            spans[year] = (date(year, 1, 1), date(year, 12, 31))
    return spans


def _next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _sek(amount) -> int:
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def reporting_budgets(budgets: Iterable[tuple[date, date, object]]) -> list[etree._Element]:
    """One budget per agreement year (from the application's budget lines of that year)."""
    return [budget(start, end, _sek(amount)) for start, end, amount in budgets]


def reporting_transactions(reports: Iterable, *, org_ref: str, receiver: str) -> list:
    """Per approved report: its reimbursement as a disbursement (3) and its reported costs as
    one expenditure (4) dated the period's end. Never an expenditure's own description."""
    elements = []
    for report in reports:
        if report.reimbursed:
            elements.append(
                transaction(
                    "disbursement",
                    report.reimbursed_on,
                    _sek(report.reimbursed),
                    "SEK",
                    text=f"Reimbursement of the approved report for {report.year}",
                    provider_ref=org_ref,
                    receiver=receiver,
                )
            )
        if report.reported:
            elements.append(
                transaction(
                    "expenditure",
                    report.period_end,
                    _sek(report.reported),
                    "SEK",
                    text=f"Costs reported in the approved report for {report.year}",
                )
            )
    return elements


# --- one activity -------------------------------------------------------------------------


def texts_of(obj, field: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{field}_{lang}", "") or "" for lang in LANGUAGES}


def budget_period(start: date, end: date | None) -> tuple[date, date]:
    """IATI budget periods may not exceed one year: the first year of the grant."""
    last = start + timedelta(days=364)
    return start, min(end, last) if end and end >= start else last


def activity_dates(partnership) -> list[etree._Element]:
    """Actual (or planned) start and planned (or actual) end. The schema requires one date: when
    the period is unknown or kept private, the publication date stands as the planned start."""
    known = partnership.start_date
    started = partnership.status != "planned"
    start = known or (partnership.published_at or partnership.created_at).date()
    elements = [activity_date("2" if started and known else "1", start)]
    if known and partnership.end_date:
        elements.append(
            activity_date("4" if partnership.status == "closed" else "3", partnership.end_date)
        )
    return elements


def activity_element(
    partnership,
    *,
    org: dict,
    results: Iterable[dict] = (),
    transactions: Iterable | None = None,
    reporting=None,
) -> etree._Element:
    """The `iati-activity` of one published partnership's public projection (its private
    fields are already blank: a private partner is None, a private amount None with no
    transactions)."""
    p = partnership
    updated = p.updated_at.astimezone(UTC).replace(microsecond=0)
    activity = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": updated.isoformat(),
            XML_LANG: "en",
            "default-currency": "SEK",
        },
    )
    activity.append(iati_identifier(org["ref"], p.slug))
    activity.append(reporting_org(org["ref"], org["type"], org["name"]))
    activity.append(title(texts_of(p, "title")))
    described = any(texts_of(p, "description").values())
    if described:
        activity.append(description(texts_of(p, "description")))
    if any(texts_of(p, "summary").values()):
        described = True
        activity.append(description(texts_of(p, "summary"), kind="2"))
    if not described:  # both texts private: IATI requires a description, the title is public
        activity.append(description(texts_of(p, "title")))
    activity.append(
        participating_org(ROLE_FUNDING, {"en": org["name"]}, ref=org["ref"], org_type=org["type"])
    )
    swedish = {
        **texts_of(p.swedish_partner, "name"),
        "sv": p.swedish_partner.official_name or p.swedish_partner.name_sv,
    }
    for role in (ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING):
        activity.append(participating_org(role, swedish, org_type=ORG_TYPE_LOCAL_GOVERNMENT))
    if p.partner is not None:
        activity.append(
            participating_org(
                ROLE_IMPLEMENTING, texts_of(p.partner, "name"), org_type=ORG_TYPE_LOCAL_GOVERNMENT
            )
        )
    activity.append(activity_status(p.status, p.phase))
    activity.extend(activity_dates(p))
    country = p.partner.country_id if p.partner is not None else p.partner_country.code
    activity.append(recipient_country(country))
    activity.append(sector(p.area.dac_sector))
    for goal in p.goals.all():
        activity.append(tag(TAG_SDG_GOAL, str(goal.number), goal.title_en or goal.title))
    for target in getattr(p, "sdg_targets", ()):  # only when the data records targets
        activity.append(tag(TAG_SDG_TARGET, target))
    # The reports' money is the grant's: kept private with it ("transactions" blanked).
    money_public = "transactions" not in blanked_by(getattr(p, "private_fields", None))
    if reporting is not None and reporting.budgets and money_public:
        activity.extend(reporting_budgets(reporting.budgets))
    elif p.granted_amount is not None and p.start_date:
        start, end = budget_period(p.start_date, p.end_date)
        activity.append(budget(start, end, int(p.granted_amount)))
    if p.granted_amount is not None:
        for item in p.transactions.all() if transactions is None else transactions:
            activity.append(
                transaction(
                    item.kind,
                    item.date,
                    int(item.amount),
                    item.currency,
                    text=item.description,
                    provider_ref=org["ref"],
                    ref=xml_text(item.reference),
                    receiver=swedish["sv"] if item.kind == "disbursement" else "",
                )
            )
    if reporting is not None and money_public:
        activity.extend(
            reporting_transactions(reporting.reports, org_ref=org["ref"], receiver=swedish["sv"])
        )
    for data in results:
        if data.get("indicators"):
            activity.append(result(data))
    return activity


# --- documents ----------------------------------------------------------------------------


def generated_at() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def write_activities(output, activities: Iterable[etree._Element]) -> None:
    """Write `iati-activities` to a binary file-like object, one activity at a time."""
    with etree.xmlfile(output, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(
            "iati-activities", version="2.03", **{"generated-datetime": generated_at()}
        ):
            for element in activities:
                xf.write(element, pretty_print=True)
                xf.flush()


class _Chunks:
    """A file-like sink for `etree.xmlfile` that hands the written bytes to a generator."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.parts.append(data)

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def stream_activities(activities: Iterable[etree._Element]) -> Iterator[bytes]:
    """The same document as `write_activities`, as an iterator of byte chunks (for HTTP)."""
    sink = _Chunks()
    with etree.xmlfile(sink, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(
            "iati-activities", version="2.03", **{"generated-datetime": generated_at()}
        ):
            xf.flush()
            yield sink.take()
            for element in activities:
                xf.write(element, pretty_print=True)
                xf.flush()
                yield sink.take()
    yield sink.take()


# --- the organisation file ----------------------------------------------------------------


def organisation_element(
    *,
    org: dict,
    years: list[tuple[int, int, int]],
    country_years: list[tuple[int, str, int]] | None = None,
) -> etree._Element:
    """`iati-organisation` of the funder. `years` = (year, committed, disbursed) in SEK;
    `country_years` = (year, recipient country, committed), one recipient-country-budget each
    (without it, every year's commitment is Ukraine's, as before other countries joined)."""
    element = etree.Element(
        "iati-organisation",
        {
            "last-updated-datetime": generated_at(),
            XML_LANG: "en",
            "default-currency": "SEK",
        },
    )
    etree.SubElement(element, "organisation-identifier").text = org["ref"]
    narratives(etree.SubElement(element, "name"), {"en": org["name"]})
    element.append(reporting_org(org["ref"], org["type"], org["name"]))
    for year, committed, _disbursed in years:
        element.append(_year_amount("total-budget", year, committed, status="2"))
    by_country = (
        country_years
        if country_years is not None
        else [(year, "UA", committed) for year, committed, _disbursed in years]
    )
    for year, country, committed in by_country:
        budget_element = _year_amount("recipient-country-budget", year, committed, status="2")
        budget_element.insert(0, etree.Element("recipient-country", code=country))
        element.append(budget_element)
    for year, _committed, disbursed in years:
        if disbursed:
            element.append(_year_amount("total-expenditure", year, disbursed))
    return element


def _year_amount(name: str, year: int, amount: int, status: str = "") -> etree._Element:
    element = etree.Element(name, {"status": status} if status else {})
    etree.SubElement(element, "period-start", {"iso-date": f"{year}-01-01"})
    etree.SubElement(element, "period-end", {"iso-date": f"{year}-12-31"})
    etree.SubElement(
        element, "value", {"currency": "SEK", "value-date": f"{year}-01-01"}
    ).text = str(amount)
    return element


def organisation_document(element: etree._Element) -> bytes:
    root = etree.Element(
        "iati-organisations", {"version": "2.03", "generated-datetime": generated_at()}
    )
    root.append(element)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
