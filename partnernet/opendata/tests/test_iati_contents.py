"""IATI, element by element, for a partnership of our own: what each private field leaves out,
the dates and statuses written here, and the organisation file's yearly totals summed by hand
(public money of published partnerships only)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from lxml import etree

from partnernet.opendata import conf
from partnernet.partnerships.models import PRIVATISABLE_FIELDS, Partnership

from .factories import make_private, money, partnership
from .test_iati import assert_codes_exist, assert_valid

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _known_reporting_org(settings):
    settings.IATI_REPORTING_ORG = "XM-TEST-ORG"


def activities() -> etree._Element:
    response = Client().get("/open-data/iati-activities.xml")
    assert response.status_code == 200
    return etree.fromstring(b"".join(response.streaming_content))


def activity_of(document: etree._Element, identifier: str) -> etree._Element:
    [activity] = document.xpath(f"//iati-activity[iati-identifier='XM-TEST-ORG-{identifier}']")
    return activity


def organisation() -> etree._Element:
    response = Client().get("/open-data/iati-organisation.xml")
    assert response.status_code == 200
    return etree.fromstring(response.content)[0]


@pytest.fixture
def full():
    """Stockholm and a hromada, with every field filled and one of each transaction."""
    item = partnership(slug="stockholm-iati")
    money(item, "commitment", date(2023, 3, 1), 250_000, reference="D-1")
    money(item, "disbursement", date(2023, 9, 1), 100_000, description="First payment")
    return item


def test_a_full_activity_carries_every_element_written_here(full):
    document = activities()
    assert_valid(document)
    assert_codes_exist(document)
    activity = activity_of(document, "stockholm-iati")
    assert activity.xpath("activity-status/@code") == ["2"]
    assert activity.xpath("activity-date/@type") == ["2", "3"]
    assert activity.xpath("activity-date/@iso-date") == ["2023-03-01", "2025-02-28"]
    assert activity.xpath("description/@type") == ["1", "2"]
    assert activity.xpath("sector/@code") == ["11110"]
    assert sorted(activity.xpath("tag[@vocabulary='2']/@code"), key=int) == ["4", "16"]
    assert activity.xpath("budget/period-start/@iso-date") == ["2023-03-01"]
    assert activity.xpath("budget/period-end/@iso-date") == ["2024-02-28"]  # at most a year
    assert activity.xpath("budget/value/text()") == ["250000"]
    assert activity.xpath("transaction/transaction-type/@code") == ["2", "3"]
    assert activity.xpath("transaction/value/text()") == ["250000", "100000"]
    assert activity.xpath("transaction/@ref") == ["D-1"]
    stockholm = full.swedish_partner
    # Only the payment names who received it: the Swedish municipality, by its official name.
    assert activity.xpath("transaction/receiver-org/narrative/text()") == [
        stockholm.official_name or stockholm.name_sv
    ]
    assert activity.xpath("transaction/provider-org/@ref") == ["XM-TEST-ORG", "XM-TEST-ORG"]
    assert sorted(activity.xpath("participating-org/@role")) == ["1", "2", "4", "4"]


# What each private field takes out of the activity, as (xpath, count when public, count when
# private); written here, not read from the builders.
LEFT_OUT = {
    "partner": [("participating-org[@role='4']", 2, 1)],
    "summary": [("description[@type='2']", 1, 0)],
    "description": [("description[@type='1']", 1, 0)],
    "tags": [],  # tags are not in IATI; the global goals stay
    "start_date": [("budget", 1, 0), ("activity-date[@type='3']", 1, 0)],
    "end_date": [("activity-date[@type='3']", 1, 0)],
    "granted_amount": [("budget", 1, 0), ("transaction", 2, 0)],
}


def test_every_privatisable_field_is_covered_here():
    assert set(LEFT_OUT) == set(PRIVATISABLE_FIELDS)


@pytest.mark.parametrize("field", PRIVATISABLE_FIELDS)
def test_a_private_field_leaves_its_elements_out_and_the_file_stays_valid(full, field):
    before = activity_of(activities(), "stockholm-iati")
    for path, public, _private in LEFT_OUT[field]:
        assert len(before.xpath(path)) == public, path
    make_private(full, field)
    document = activities()
    assert_valid(document)
    identifier = f"stockholm-partnership-{full.pk}" if field == "partner" else "stockholm-iati"
    after = activity_of(document, identifier)
    for path, _public, private in LEFT_OUT[field]:
        assert len(after.xpath(path)) == private, path
    assert after.xpath("recipient-country/@code") == ["UA"]
    assert len(after.xpath("tag[@vocabulary='2']")) == 2


def test_a_private_period_dates_the_activity_by_its_publication(full):
    make_private(full, "start_date")
    activity = activity_of(activities(), "stockholm-iati")
    assert activity.xpath("activity-date/@type") == ["1"]  # planned start, not a claimed one
    assert activity.xpath("activity-date/@iso-date") == [full.published_at.date().isoformat()]


def test_a_private_partner_is_not_in_the_identifier_nor_anywhere_else(full):
    make_private(full, "partner")
    document = activities()
    text = etree.tostring(document, encoding="unicode")
    partner = full.partner
    for name in {partner.name, partner.name_en, partner.name_uk, partner.name_latin, partner.code}:
        if name:
            assert name not in text, name
    identifiers = document.xpath("//iati-identifier/text()")
    assert "XM-TEST-ORG-stockholm-iati" not in identifiers
    assert f"XM-TEST-ORG-stockholm-partnership-{full.pk}" in identifiers


def test_every_field_private_at_once_still_validates(full):
    make_private(full, *PRIVATISABLE_FIELDS)
    document = activities()
    assert_valid(document)
    activity = activity_of(document, f"stockholm-partnership-{full.pk}")
    assert not activity.xpath("budget | transaction")


def test_with_both_texts_private_the_public_title_is_the_description(full):
    """Found by this test: IATI 2.03 requires one `description` per activity; with summary
    and description private there was none, and the whole file failed the schema."""
    make_private(full, "summary", "description")
    document = activities()
    assert_valid(document)
    activity = activity_of(document, "stockholm-iati")
    assert activity.xpath("description/@type") == ["1"]
    narratives = activity.xpath("description/narrative[@xml:lang='en']/text()")
    assert narratives == activity.xpath("title/narrative[@xml:lang='en']/text()")
    assert "Planning with residents." not in etree.tostring(activity, encoding="unicode")


@pytest.mark.parametrize(
    ("status", "phase", "code", "date_types"),
    [
        ("planned", "inception", "1", ["1", "3"]),
        ("active", "project", "2", ["2", "3"]),
        ("paused", "project", "2", ["2", "3"]),
        ("active", "completed", "3", ["2", "3"]),
        ("closed", "completed", "4", ["2", "4"]),
    ],
)
def test_status_and_phase_map_to_the_iati_codes_written_here(status, phase, code, date_types):
    partnership(slug="stockholm-status", status=status, phase=phase)
    activity = activity_of(activities(), "stockholm-status")
    assert activity.xpath("activity-status/@code") == [code]
    assert activity.xpath("activity-date/@type") == date_types


def test_a_short_grant_has_a_budget_of_its_own_length():
    partnership(slug="stockholm-short", end_date=date(2023, 6, 30))
    activity = activity_of(activities(), "stockholm-short")
    assert activity.xpath("budget/period-end/@iso-date") == ["2023-06-30"]


def test_control_characters_in_a_text_do_not_break_the_file():
    partnership(slug="stockholm-bell", summary_en="Bell \x07 and form feed \x0c here.")
    document = activities()
    assert_valid(document)
    activity = activity_of(document, "stockholm-bell")
    assert "Bell  and form feed  here." in activity.xpath("description[@type='2']/narrative/text()")


@pytest.mark.parametrize("publication", ["draft", "withdrawn"])
def test_an_unpublished_partnership_is_no_activity(publication):
    partnership(slug="stockholm-unpublished", publication=publication)
    identifiers = activities().xpath("//iati-identifier/text()")
    assert len(identifiers) == 6 and not [i for i in identifiers if "stockholm" in i]


def test_the_organisation_totals_are_the_public_money_of_published_partnerships():
    public = partnership(slug="stockholm-public")
    money(public, "commitment", date(2023, 3, 1), 250_000)
    money(public, "disbursement", date(2023, 9, 1), 100_000)
    money(public, "disbursement", date(2024, 2, 1), 150_000)
    second = partnership(slug="stockholm-second")
    money(second, "commitment", date(2024, 1, 15), 80_000)
    secret = make_private(partnership(slug="stockholm-secret"), "granted_amount")
    money(secret, "commitment", date(2023, 5, 1), 999_000)
    money(secret, "disbursement", date(2024, 1, 1), 500_000)
    draft = partnership(slug="stockholm-draft", publication="draft")
    money(draft, "commitment", date(2023, 6, 1), 777_000)
    org = organisation()
    # Hand-summed: 2023 committed 250 000; 2024 committed 80 000; paid 100 000 and 150 000.
    assert totals(org, "total-budget") == {"2023": "250000", "2024": "80000"}
    assert totals(org, "recipient-country-budget") == {"2023": "250000", "2024": "80000"}
    assert totals(org, "total-expenditure") == {"2023": "100000", "2024": "150000"}
    assert set(org.xpath("recipient-country-budget/recipient-country/@code")) == {"UA"}
    assert set(org.xpath("total-budget/@status")) == {"2"}


def totals(org: etree._Element, name: str) -> dict[str, str]:
    return {
        element.find("period-start").get("iso-date")[:4]: element.findtext("value")
        for element in org.findall(name)
    }


def test_a_private_period_does_not_hide_the_money_from_the_organisation_file():
    item = make_private(partnership(slug="stockholm-period"), "start_date")
    money(item, "commitment", date(2023, 3, 1), 40_000)
    assert totals(organisation(), "total-budget") == {"2023": "40000"}


def test_without_any_transaction_the_organisation_has_no_yearly_amounts():
    org = organisation()
    assert [child.tag for child in org] == ["organisation-identifier", "name", "reporting-org"]
    assert org.findtext("organisation-identifier") == "XM-TEST-ORG"


def test_withdrawing_a_partnership_takes_its_money_out_of_the_totals():
    item = partnership(slug="stockholm-withdrawn")
    money(item, "commitment", date(2023, 3, 1), 60_000)
    assert totals(organisation(), "total-budget") == {"2023": "60000"}
    Partnership.objects.filter(pk=item.pk).update(publication="withdrawn")
    assert totals(organisation(), "total-budget") == {}


def test_the_reporting_org_setting_is_the_prefix_of_every_identifier(settings):
    settings.IATI_REPORTING_ORG = "XM-OTHER"
    document = activities()
    assert all(i.startswith("XM-OTHER-") for i in document.xpath("//iati-identifier/text()"))
    assert set(document.xpath("//reporting-org/@ref")) == {"XM-OTHER"}


def test_the_placeholder_org_is_used_when_nothing_is_configured(settings):
    settings.IATI_REPORTING_ORG = ""
    from partnernet.accounts.models import Organisation

    Organisation.objects.filter(kind="funder").update(iati_identifier="")
    assert conf.iati_reporting_org() == "SE-ON-CONFIGURE-IATI-REPORTING-ORG"


def test_the_export_command_writes_our_partnership_to_the_file(tmp_path, full):
    out = tmp_path / "activities.xml"
    call_command("export_iati", str(out))
    document = etree.parse(str(out)).getroot()
    assert_valid(document)
    assert len(document.xpath("//iati-activity")) == 7
    assert activity_of(document, "stockholm-iati").xpath("budget/value/text()") == ["250000"]


def test_the_export_command_says_where_it_wrote(tmp_path, capsys):
    out = tmp_path / "activities.xml"
    call_command("export_iati", str(out))
    assert str(out) in capsys.readouterr().err


def test_the_export_command_fails_clearly_when_it_cannot_write(tmp_path, capsys):
    target = tmp_path / "no-such-directory" / "activities.xml"
    with pytest.raises(SystemExit) as stopped:
        call_command("export_iati", str(target))
    assert stopped.value.code == 1
    assert str(target) in capsys.readouterr().err
    assert not target.exists()


def test_the_export_command_writes_a_dash_to_standard_output(capfdbinary):
    call_command("export_iati", "-")
    document = etree.fromstring(capfdbinary.readouterr().out)
    assert len(document.xpath("//iati-activity")) == 6
