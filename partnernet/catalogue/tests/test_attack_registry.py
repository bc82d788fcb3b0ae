"""Attack on the officer's page that adds another country's government
(`/{lang}/municipalities/add/`): numbers beyond the database's columns, control characters,
huge values, non-numbers for the point, and people who may not add. Nothing is written on a
refusal, and the message is translated. Expected values are written by hand."""

import pytest
from django.test import Client

from partnernet.accounts.testing import sign_in
from partnernet.accounts.tests.factories import officer
from partnernet.municipalities.models import Municipality

from .test_other_countries import ADD, CAHUL

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str = ADD, **changes):
    return client.post(path, {**CAHUL, "population_date": "2024-01-01", **changes})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # beyond a PostgreSQL integer column: was accepted (a database error on PostgreSQL)
        ({"population": "99999999999"}, "population must be at most 2147483647"),
        ({"population": "-5"}, "population must be a whole number"),
        ({"population": "1e5"}, "population must be a whole number"),
        ({"population_date": "2024-02-30"}, "population_date must be a date (YYYY-MM-DD)"),
        ({"centroid_lat": "nan"}, "lies outside the country"),
        ({"centroid_lat": "inf"}, "lies outside the country"),
        ({"official_name": "x" * 100_000}, "Ensure this value has at most 200 characters"),
        ({"code": "MD" + "1" * 100_000}, "Ensure this value has at most 30 characters"),
        ({"kind": "kommun"}, "Select a valid choice"),
    ],
)
def test_bad_values_are_refused_with_a_message_and_nothing_is_written(changes, message):
    response = _post(sign_in(Client(), officer()), **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Municipality.objects.filter(country_id="MD").exists()


def test_a_huge_population_is_refused_in_swedish():
    response = _post(
        sign_in(Client(), officer()), path="/sv/municipalities/add/", population="9" * 12
    )
    assert response.status_code == 400
    assert "population får vara högst 2147483647" in response.content.decode()
    assert not Municipality.objects.filter(country_id="MD").exists()


def test_the_largest_population_a_column_holds_is_accepted():
    response = _post(sign_in(Client(), officer()), population="2147483647")
    assert response.status_code == 302
    assert Municipality.objects.get(code="MD1701000").population == 2147483647


def test_people_who_may_not_add_are_refused_and_nothing_is_written():
    assert Client().post(ADD, CAHUL).status_code == 302  # sign in first
    assert not Municipality.objects.filter(country_id="MD").exists()
