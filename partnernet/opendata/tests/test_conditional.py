"""Conditional GET of the open-data downloads: 304 for the current validator, a full answer as
soon as the data changed, and never a 304 for a dataset that does not exist."""

import pytest
from django.test import Client

from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Partnership

pytestmark = pytest.mark.django_db
DOWNLOADS = [
    "/open-data/partnerships.csv",
    "/open-data/partnerships.json",
    "/open-data/municipalities.csv",
    "/open-data/networks.json",
    "/open-data/results.csv",
    "/open-data/finances.json",
    "/open-data/datapackage.json",
    "/open-data/catalog.jsonld",
]


def tag_of(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200
    return response["ETag"]


@pytest.mark.parametrize("path", DOWNLOADS)
def test_the_current_validator_answers_304_without_a_body(path):
    tag = tag_of(path)
    assert tag.startswith('W/"')
    again = Client().get(path, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b""
    assert Client().get(path, HTTP_IF_NONE_MATCH='W/"other"').status_code == 200


def test_withdrawing_a_partnership_changes_the_validator_of_the_partnerships():
    tag = tag_of("/open-data/partnerships.csv")
    Partnership.objects.filter(slug="umea-kherson").update(publication="withdrawn")
    fresh = Client().get("/open-data/partnerships.csv", HTTP_IF_NONE_MATCH=tag)
    assert fresh.status_code == 200
    assert b"umea-kherson" not in b"".join(fresh.streaming_content)


def test_a_registry_change_changes_the_validator_of_the_municipalities():
    tag = tag_of("/open-data/municipalities.csv")
    Municipality.objects.filter(code="2480").update(population=1)
    response = Client().get("/open-data/municipalities.csv", HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/open-data/people.csv", "/open-data/people.json"])
def test_an_unknown_dataset_is_404_even_with_a_current_validator(path):
    """Found by this test: the validator does not depend on the dataset's name, so a tag from
    any download made /open-data/<anything>.csv answer 304 instead of 404."""
    tag = tag_of("/open-data/partnerships.csv")
    assert Client().get(path, HTTP_IF_NONE_MATCH=tag).status_code == 404
    assert Client().get(path, HTTP_IF_NONE_MATCH="*").status_code == 404


def test_a_head_request_is_answered_with_the_same_validator():
    tag = tag_of("/open-data/networks.json")
    head = Client().head("/open-data/networks.json")
    assert head.status_code == 200 and head["ETag"] == tag


@pytest.mark.parametrize(
    ("path", "change"),
    [
        ("/open-data/results.csv", "value"),
        ("/open-data/finances.csv", "reimbursement"),
        ("/open-data/finances.csv", "budget"),
    ],
)
def test_a_reporting_change_changes_the_validator_of_the_reporting_datasets(path, change):
    """The reports' tables and the agreements' budgets bump the data version as well."""
    from partnernet.grants.models import BudgetLine
    from partnernet.reports.models import IndicatorValue, Reimbursement

    response = Client().get(path)
    tag = response["ETag"]
    if change == "value":
        IndicatorValue.objects.filter(report__state="approved").update(value=1)
    elif change == "reimbursement":
        Reimbursement.objects.update(amount=1)
    else:
        BudgetLine.objects.filter(application__partnership__slug="vaxjo-kalush").update(amount=1)
    assert Client().get(path, HTTP_IF_NONE_MATCH=tag).status_code == 200
