import pytest
from django.test import Client

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.partnerships.models import Partnership

OWN = "falun-kolomyia"


@pytest.fixture
def own(db) -> Partnership:
    return Partnership.objects.select_related("swedish_partner", "partner").get(slug=OWN)


def client_of(email: str) -> Client:
    return sign_in(Client(), User.objects.get(email=email))


@pytest.fixture
def falun(db) -> Client:
    return client_of("falun@demo.example")


@pytest.fixture
def kolomyia(db) -> Client:
    return client_of("kolomyia@demo.example")


@pytest.fixture
def member(db) -> Client:
    return client_of("member@demo.example")


@pytest.fixture
def officer(db) -> Client:
    return client_of("officer@icld.example")
