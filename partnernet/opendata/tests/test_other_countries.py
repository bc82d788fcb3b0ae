"""IATI and the datasets handle another country's government like a municipality: a
partnership with a government of Moldova gives recipient-country MD in its activity and an MD
budget in the funder's organisation file; the registry dataset lists it. Expected by hand."""

from datetime import date

import pytest
from django.test import Client
from lxml import etree

from partnernet.municipalities.services import municipality_add
from partnernet.partnerships.models import FundingTransaction

from .factories import partnership, unused_hromada

pytestmark = pytest.mark.django_db
CAHUL = {
    "code": "MD1701000",
    "country": "MD",
    "kind": "local",
    "official_name": "Municipiul Cahul",
    "name_latin": "Cahul",
    "centroid_lat": "45.9075",
    "centroid_lon": "28.1944",
}


def streamed(path: str) -> bytes:
    return b"".join(Client().get(path).streaming_content)


def test_recipient_countries_follow_the_partners_country():
    cahul = municipality_add(fields=CAHUL)
    moldovan = partnership(swedish="0180", partner=cahul, slug="stockholm-cahul")
    ukrainian = partnership(swedish="0181", partner=unused_hromada(), slug="sodertalje-ua")
    for item, amount in ((moldovan, 300_000), (ukrainian, 200_000)):
        FundingTransaction.objects.create(
            partnership=item, kind="commitment", date=date(2024, 5, 2), amount=amount
        )
    activities = etree.fromstring(streamed("/open-data/iati-activities.xml"))
    by_title = {
        a.findtext("iati-identifier"): a.find("recipient-country").get("code")
        for a in activities.iter("iati-activity")
    }
    assert sorted(set(by_title.values())) == ["MD", "UA"]
    organisation = etree.fromstring(Client().get("/open-data/iati-organisation.xml").content)
    budgets = {
        (b.find("recipient-country").get("code"), b.findtext("value"))
        for b in organisation.iter("recipient-country-budget")
    }
    assert budgets == {("MD", "300000"), ("UA", "200000")}
    assert organisation.findtext(".//total-budget/value") == "500000"


def test_the_registry_dataset_lists_the_government_in_three_languages():
    municipality_add(fields={**CAHUL, "name_uk": "Кагул"})
    text = streamed("/open-data/municipalities.csv").decode()
    rows = [line for line in text.splitlines() if line.startswith("MD1701000,")]
    assert rows == [
        "MD1701000,sv,Cahul,MD,local,Municipiul Cahul,Cahul,,,,45.9075,28.1944",
        "MD1701000,uk,Кагул,MD,local,Municipiul Cahul,Cahul,,,,45.9075,28.1944",
        "MD1701000,en,Cahul,MD,local,Municipiul Cahul,Cahul,,,,45.9075,28.1944",
    ]
