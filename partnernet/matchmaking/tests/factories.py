"""Small, self-made data for matchmaking tests: a fresh network, fresh municipalities and the
people who act for them, so a test sees only what it built (the demo network already holds a
queue, profiles and partnerships that would hide what is being tested)."""

from __future__ import annotations

import itertools

from partnernet.accounts.models import Organisation, Role, RoleAssignment
from partnernet.accounts.tests.factories import UserFactory
from partnernet.accounts.tests.factories import officer as make_officer
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Network

_numbers = itertools.count(1)


def network(**kwargs) -> Network:
    n = next(_numbers)
    defaults = {"slug": f"test-network-{n}", "name": f"Test network {n}", "funder": "ICLD"}
    return Network.objects.create(**{**defaults, **kwargs})


def municipality(country: str = "SE", **kwargs) -> Municipality:
    n = next(_numbers)
    name = kwargs.pop("name", f"Testby {country} {n}")
    defaults = {
        "code": f"T{country}{n:05d}",
        "country_id": country,
        "kind": "kommun" if country == "SE" else "urban",
        "name": name,
        "official_name": name,
        "population": 20_000,
    }
    return Municipality.objects.create(**{**defaults, **kwargs})


def pair() -> tuple[Municipality, Municipality]:
    """A fresh Swedish municipality and a fresh Ukrainian one."""
    return municipality("SE"), municipality("UA")


def organisation_of(place: Municipality) -> Organisation:
    return Organisation.objects.get_or_create(
        municipality=place, defaults={"name": place.name, "kind": "municipality"}
    )[0]


def coordinator(place: Municipality, **kwargs):
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(
        user=user, role=Role.MUNICIPAL_COORDINATOR, organisation=organisation_of(place)
    )
    return user


def officer(**kwargs):
    return make_officer(**kwargs)
