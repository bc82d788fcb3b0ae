"""Attack on joining by oneself and the interest profile (issue 12.1): bad input of every
kind is refused with a message (never a server error, never a request), the rate limit holds
whatever X-Forwarded-For says, a request whose person is gone can still be declined, and a
request is decided once. Expected values are written by hand."""

import pytest
from django.test import Client

from partnernet.accounts.testing import sign_in
from partnernet.matchmaking.models import JoinRequest

from . import factories
from .test_join import _confirmed, _form, _start

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    return factories.municipality("UA", name="Атакована")


@pytest.fixture
def network():
    return factories.network()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # a key beyond any integer column: was an OverflowError (500) from the area lookup
        ({"areas": ["99999999999999999999999999"]}, "is not a valid value"),
        ({"areas": ["-99999999999999999999999999"]}, "is not a valid value"),
        ({"areas": ["abc"]}, "is not a valid value"),
        ({"areas": ["999999999"]}, "is not one of the available choices"),
        ({"full_name": "x" * 100_000}, "Ensure this value has at most 200 characters"),
        ({"email": "a" * 100_000 + "@x.example"}, "Ensure this value has at most 254"),
        ({"text": "x" * 100_000}, "Ensure this value has at most 4000 characters"),
        ({"capacity": "-1"}, "greater than or equal to 1"),
        ({"capacity": "99999999999999999999999"}, "less than or equal to 20"),
        ({"capacity": "1e400"}, "Enter a whole number"),
        ({"municipality": "x" * 100_000}, "Ensure this value has at most 32 characters"),
        ({"full_name": "\x00"}, "We could not read what was sent."),
    ],
)
def test_bad_join_input_is_refused_with_a_message(client, network, place, changes, message):
    response = client.post("/en/join/", _form(network, place, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_a_huge_area_key_is_refused_in_swedish_too(client, network, place):
    response = client.post("/sv/join/", _form(network, place, areas=["9" * 30]))
    assert response.status_code == 400
    assert "är inte ett giltigt värde" in response.content.decode()


def test_a_huge_area_key_in_the_profile_form_is_refused(client, network):
    place = factories.municipality("SE")
    sign_in(client, factories.officer())
    response = client.post(
        f"/en/queue/{network.slug}/profiles/{place.code}/",
        {"text": "We offer", "source_language": "en", "areas": ["9" * 30], "capacity": "1"},
    )
    assert response.status_code == 200  # the form again, with its message
    assert "is not a valid value" in response.content.decode()


def test_x_forwarded_for_does_not_reset_the_rate_limit(client, network, place):
    for n in range(10):
        client.post("/en/join/", _form(network, place, text=""), HTTP_X_FORWARDED_FOR=f"10.9.{n}.1")
    response = client.post("/en/join/", _form(network, place), HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not JoinRequest.objects.exists()


def test_a_request_whose_person_was_erased_is_declined_not_verified(client, network, place):
    join_request = _confirmed(network, place)
    join_request.user.delete()
    sign_in(client, factories.officer())
    url = f"/en/queue/{network.slug}/joins/{join_request.pk}/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"decision": "verify"})
    assert refused.status_code == 400
    assert "no longer has an account" in refused.content.decode()
    assert client.post(url, {"decision": "decline", "reason": "Gone"}).status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED


def test_a_request_is_decided_once(client, network, place):
    join_request = _confirmed(network, place)
    sign_in(client, factories.officer())
    url = f"/en/queue/{network.slug}/joins/{join_request.pk}/"
    assert client.post(url, {"decision": "verify"}).status_code == 302
    again = client.post(url, {"decision": "decline", "reason": "Changed my mind"})
    assert again.status_code == 400
    assert "This request has already been decided." in again.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.VERIFIED


def test_unknown_decision_and_huge_reason_are_refused(client, network, place):
    join_request = _confirmed(network, place)
    sign_in(client, factories.officer())
    url = f"/en/queue/{network.slug}/joins/{join_request.pk}/"
    assert client.post(url, {"decision": "approve"}).status_code == 400
    huge = client.post(url, {"decision": "decline", "reason": "x" * 100_000})
    assert huge.status_code == 400
    assert "at most 2000 characters" in huge.content.decode()


def test_a_request_is_not_found_through_another_network_nor_by_a_coordinator(
    client, network, place
):
    join_request = _start(network, place)
    sign_in(client, factories.officer())
    other = factories.network()
    assert client.get(f"/en/queue/{other.slug}/joins/{join_request.pk}/").status_code == 404
    assert client.get(f"/en/queue/{network.slug}/joins/{'9' * 30}/").status_code == 404
    coordinator = Client()
    sign_in(coordinator, factories.coordinator(factories.municipality("SE")))
    url = f"/en/queue/{network.slug}/joins/{join_request.pk}/"
    assert coordinator.get(url).status_code in (403, 404)
    assert coordinator.post(url, {"decision": "verify"}).status_code in (403, 404)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.UNCONFIRMED
