import csv
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from lxml import etree

from partnernet.opendata import iati
from partnernet.partnerships.models import FundingTransaction, Partnership

IATI = Path(settings.BASE_DIR) / "data" / "iati"
pytestmark = pytest.mark.django_db


@cache
def activities_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(IATI / "schema" / "iati-activities-schema.xsd")))


@cache
def codelist(name: str) -> set[str]:
    with (IATI / "codelists" / "csv" / f"{name}.csv").open(encoding="utf-8") as handle:
        return {row["code"] for row in csv.DictReader(handle) if row["status"] != "withdrawn"}


def download() -> etree._Element:
    response = Client().get("/open-data/iati-activities.xml")
    assert response.status_code == 200 and response.streaming
    return etree.fromstring(b"".join(response.streaming_content))


def assert_valid(document: etree._Element) -> None:
    schema = activities_schema()
    assert schema.validate(document), schema.error_log


def assert_codes_exist(document: etree._Element) -> None:
    checks = [
        ("//activity-status/@code", "ActivityStatus"),
        ("//participating-org/@role", "OrganisationRole"),
        ("//participating-org/@type", "OrganisationType"),
        ("//reporting-org/@type", "OrganisationType"),
        ("//recipient-country/@code", "Country"),
        ("//sector[@vocabulary='1']/@code", "Sector"),
        ("//sector/@vocabulary", "SectorVocabulary"),
        ("//transaction-type/@code", "TransactionType"),
        ("//value/@currency", "Currency"),
        ("//@default-currency", "Currency"),
        ("//budget/@type", "BudgetType"),
        ("//result/@type", "ResultType"),
        ("//indicator/@measure", "IndicatorMeasure"),
        ("//@xml:lang", "Language"),
    ]
    for path, name in checks:
        used = set(document.xpath(path))
        assert used <= codelist(name), (name, used - codelist(name))
    # Tag vocabularies (no TagVocabulary codelist in data/iati): 2 SDG goals, 3 SDG targets.
    assert set(document.xpath("//tag/@vocabulary")) <= {"2", "3"}
    assert {int(c) for c in document.xpath("//tag[@vocabulary='2']/@code")} <= set(range(1, 18))


def test_published_partnerships_are_valid_iati_activities_with_known_codes():
    document = download()
    assert_valid(document)
    assert_codes_exist(document)
    identifiers = document.xpath("//iati-identifier/text()")
    assert len(identifiers) == Partnership.objects.published().count() == 6
    umea = document.xpath("//iati-activity[iati-identifier[contains(., 'umea-kherson')]]")[0]
    assert set(umea.xpath("title/narrative/@xml:lang")) == {"sv", "en", "uk"}
    assert umea.xpath("sector/@code") == ["43030"]
    assert umea.xpath("recipient-country/@code") == ["UA"]
    assert sorted(umea.xpath("tag[@vocabulary='2']/@code")) == ["16", "17"]
    assert sorted(umea.xpath("participating-org/@role")) == ["1", "2", "4", "4"]


def test_unpublished_partnerships_do_not_appear():
    Partnership.objects.filter(slug="vaxjo-kalush").update(publication="withdrawn")
    identifiers = download().xpath("//iati-identifier/text()")
    assert len(identifiers) == 5 and not any("vaxjo-kalush" in i for i in identifiers)


def test_budget_and_transactions_validate():
    partnership = Partnership.objects.get(slug="falun-kolomyia")
    Partnership.objects.filter(pk=partnership.pk).update(granted_amount=450_000)
    FundingTransaction.objects.create(
        partnership=partnership, kind="commitment", date=date(2024, 12, 10), amount=450_000
    )
    FundingTransaction.objects.create(
        partnership=partnership,
        kind="disbursement",
        date=date(2025, 6, 1),
        amount=120_000,
        description="=SUM(A1)",
    )
    document = download()
    assert_valid(document)
    assert_codes_exist(document)
    falun = document.xpath("//iati-activity[iati-identifier[contains(., 'falun-kolomyia')]]")[0]
    assert falun.xpath("transaction/transaction-type/@code") == ["2", "3"]
    # The agreement's years carry the budget (its budget lines), not the granted amount; a
    # partnership without an agreement keeps the granted amount's (test_iati_contents).
    assert falun.xpath("budget/value/text()") == ["345000"]


def test_private_money_and_partner_are_left_out():
    partnership = Partnership.objects.get(slug="falun-kolomyia")
    FundingTransaction.objects.create(
        partnership=partnership, kind="commitment", date=date(2024, 12, 10), amount=1
    )
    Partnership.objects.filter(pk=partnership.pk).update(
        private_fields=["granted_amount", "partner"]
    )
    document = download()
    assert_valid(document)
    text = etree.tostring(document, encoding="unicode")
    assert "kolomyia" not in text.lower() and "Коломи" not in text
    public = f"falun-partnership-{partnership.pk}"
    falun = document.xpath(f"//iati-activity[iati-identifier[contains(., '{public}')]]")[0]
    assert not falun.xpath("transaction") and not falun.xpath("budget")
    assert sorted(falun.xpath("participating-org/@role")) == ["1", "2", "4"]


def test_results_with_indicators_validate():
    data = {
        "type": 2,
        "title": {"en": "Residents take part in planning", "sv": "Invånare deltar"},
        "indicators": [
            {
                "measure": 1,
                "title": {"en": "Consultations held"},
                "baseline": {"year": 2024, "value": 2},
                "periods": [
                    {"start": date(2025, 1, 1), "end": date(2025, 12, 31), "target": 6, "actual": 4}
                ],
            }
        ],
    }
    partnership = Partnership.objects.get(slug="umea-kherson")
    org = {"ref": "SE-TEST", "name": "Funder", "type": "10"}
    activity = iati.activity_element(partnership, org=org, results=[data])
    root = etree.Element("iati-activities", version="2.03")
    root.append(activity)
    assert_valid(root)
    assert_codes_exist(root)


def test_sdg_target_tags_validate():
    element = iati.tag(iati.TAG_SDG_TARGET, "16.7")
    assert element.get("vocabulary") == "3" and element.get("code") == "16.7"


def test_export_command_writes_the_same_activities(tmp_path):
    out = tmp_path / "iati.xml"
    call_command("export_iati", str(out))
    document = etree.parse(str(out)).getroot()
    assert_valid(document)
    assert len(document.xpath("//iati-activity")) == 6


def test_export_command_writes_to_stdout_without_a_file(capfdbinary):
    call_command("export_iati")
    document = etree.fromstring(capfdbinary.readouterr().out)
    assert len(document.xpath("//iati-activity")) == 6


def test_organisation_file_has_the_expected_structure():
    partnership = Partnership.objects.get(slug="falun-kolomyia")
    FundingTransaction.objects.create(
        partnership=partnership, kind="commitment", date=date(2024, 12, 10), amount=450_000
    )
    response = Client().get("/open-data/iati-organisation.xml")
    document = etree.fromstring(response.content)
    # No iati-organisations-schema.xsd in data/iati: check the 2.03 element order by hand.
    assert document.tag == "iati-organisations" and document.get("version") == "2.03"
    organisation = document[0]
    names = [child.tag for child in organisation]
    assert names[:3] == ["organisation-identifier", "name", "reporting-org"]
    assert names[3:] == ["total-budget", "recipient-country-budget"]
    assert organisation.findtext("total-budget/value") == "450000"
    assert organisation.find("recipient-country-budget/recipient-country").get("code") == "UA"
    assert set(document.xpath("//reporting-org/@type")) <= codelist("OrganisationType")


def test_indicators_of_the_results_plan_become_valid_results():
    from decimal import Decimal

    from partnernet.grants.selectors import Actual, IndicatorResult

    items = [
        IndicatorResult(
            level="outcome",
            result="Residents take part",
            indicator="Hearings",
            unit="number",
            baseline=Decimal("2"),
            baseline_year=2024,
            target=Decimal("6"),
            target_year=2026,
            actuals=[Actual("2025", Decimal("4"))],
        )
    ]
    results = iati.results_from_indicators(items)
    assert results[0]["type"] == "2"
    assert [p["start"].year for p in results[0]["indicators"][0]["periods"]] == [2025, 2026]
    partnership = Partnership.objects.get(slug="umea-kherson")
    root = etree.Element("iati-activities", version="2.03")
    root.append(
        iati.activity_element(
            partnership, org={"ref": "X-1", "name": "F", "type": "10"}, results=results
        )
    )
    assert_valid(root)
    assert root.xpath("//indicator/period/actual/@value") == ["4"]


def test_reporting_org_comes_from_the_setting_or_the_funder_organisation(settings):
    from partnernet.accounts.models import Organisation
    from partnernet.opendata import conf

    Organisation.objects.filter(kind="funder").update(iati_identifier="")
    assert conf.iati_reporting_org() == conf.IATI_PLACEHOLDER_ORG
    Organisation.objects.create(name="Funder", kind="funder", iati_identifier="XM-TEST-1")
    assert conf.iati_reporting_org() == "XM-TEST-1"
    settings.IATI_REPORTING_ORG = "XM-SETTING"
    assert download().xpath("//reporting-org/@ref")[0] == "XM-SETTING"
