"""Regions are partners too: Region Västerbotten (the county code SE24, kind `region`) joins the
network as a Swedish partner through the matchmaking services, is matched with a Ukrainian
oblast, and is the swedish_partner of an application and a partnership. Expected values are
written by hand."""

import pytest
from django.test import Client
from django.utils import translation

from partnernet.accounts.testing import sign_in
from partnernet.api.tests.factories import partnership
from partnernet.grants.tests import factories as grants_factories
from partnernet.matchmaking import candidates, matches, services
from partnernet.matchmaking.models import LetterOfIntent, MatchProposal, QueueEntry
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Network

from . import factories

pytestmark = pytest.mark.django_db
VASTERBOTTEN = "SE24"
IVANO_FRANKIVSK_OBLAST = "UA26000000000069363"


@pytest.fixture
def region():
    return Municipality.objects.get(code=VASTERBOTTEN)


@pytest.fixture
def oblast():
    return Municipality.objects.get(code=IVANO_FRANKIVSK_OBLAST)


def test_the_registry_holds_the_21_regions_and_the_24_oblasts_as_governments(region, oblast):
    assert Municipality.objects.filter(country_id="SE", kind="region").count() == 21
    assert Municipality.objects.filter(country_id="UA", kind="oblast").count() == 24
    assert (region.name_sv, region.official_name, region.region.code) == (
        "Region Västerbotten",
        "Region Västerbotten",
        "SE24",
    )
    assert (oblast.name_uk, oblast.name_sv, oblast.name_en) == (
        "Івано-Франківська область",
        "Ivano-Frankivsk oblast",
        "Ivano-Frankivsk Oblast",
    )
    # a point for the map: inside the county, not invented (the mean of its municipalities')
    assert 63.5 < region.latitude < 66.5 and 14.5 < region.longitude < 21.5
    # Kyiv and Sevastopol are cities with special status, not oblasts: no second row
    assert not Municipality.objects.filter(kind="oblast", code="UA80000000000093317").exists()


def test_region_vasterbotten_joins_as_a_swedish_partner(region):
    network = factories.network()
    profile = services.profile_save(
        municipality=region,
        network=network,
        actor=factories.coordinator(region),
        text="Vi erbjuder erfarenhet av regional hälso- och sjukvård och kollektivtrafik.",
        source_language="sv",
        areas=[CooperationArea.objects.get(slug="inclusive-leadership-governance")],
    )
    assert profile.side == "offers"  # Swedish: it offers, whatever its kind
    entry = QueueEntry.objects.get(network=network, municipality=region)
    assert entry.stage == "interested"
    # it is on the Swedish side of the candidate pool, and the oblasts on the other
    swedish = {p.key for p in candidates.parties(network=network, swedish=True)}
    others = {p.key for p in candidates.parties(network=network, swedish=False)}
    assert VASTERBOTTEN in swedish and VASTERBOTTEN not in others
    assert IVANO_FRANKIVSK_OBLAST in others


def test_a_region_and_an_oblast_are_matched_and_confirm_their_letter(region, oblast):
    network = factories.network()
    officer = factories.officer()
    region_coordinator, oblast_coordinator = (
        factories.coordinator(region),
        factories.coordinator(oblast),
    )
    # the wrong way round is refused: the Swedish side must be Swedish
    with translation.override("en"):
        refusal = matches.match_constraint_error(
            network=network, swedish_partner=oblast, partner=region
        )
    assert refusal == "A match pairs a Swedish municipality with a municipality in another country."
    proposal = matches.match_propose(
        network=network, swedish_partner=region, partner=oblast, actor=officer, note="Health"
    )
    matches.match_respond(
        proposal=proposal, side="swedish", accept=True, reason="", actor=region_coordinator
    )
    proposal = matches.match_respond(
        proposal=proposal, side="partner", accept=True, reason="", actor=oblast_coordinator
    )
    assert proposal.status == MatchProposal.Status.ACCEPTED
    letter = LetterOfIntent.objects.get(proposal=proposal)
    matches.letter_confirm(letter=letter, side="swedish", actor=region_coordinator)
    letter = matches.letter_confirm(letter=letter, side="partner", actor=oblast_coordinator)
    assert letter.status == "confirmed"
    assert (letter.swedish_partner, letter.partner) == (region, oblast)


def test_a_region_starts_an_application_as_the_swedish_partner(region, oblast):
    call = grants_factories.call()
    writer = grants_factories.coordinator(oblast)
    response = sign_in(Client(), writer).post(
        "/en/grants/applications/start/",
        {
            "call": call.pk,
            "own": oblast.pk,
            "partner_code": VASTERBOTTEN,
            "area": CooperationArea.objects.get(slug="education").pk,
            "title": "Regions for democratic schools",
        },
    )
    assert response.status_code == 302
    application = call.applications.get()
    assert (application.swedish_partner, application.partner) == (region, oblast)


def test_two_swedish_governments_cannot_apply_together(region):
    call = grants_factories.call()
    writer = grants_factories.coordinator(region)
    response = sign_in(Client(), writer).post(
        "/en/grants/applications/start/",
        {
            "call": call.pk,
            "own": region.pk,
            "partner_code": "2480",  # Umeå, also Swedish
            "area": CooperationArea.objects.get(slug="education").pk,
            "title": "Two Swedish sides",
        },
    )
    assert response.status_code == 400
    assert "One partner must be Swedish and the other not." in response.content.decode()
    assert not call.applications.exists()


def test_a_region_is_the_swedish_partner_of_a_published_partnership(region, oblast):
    partnership(swedish=VASTERBOTTEN, partner=IVANO_FRANKIVSK_OBLAST, slug="vasterbotten-if")
    listed = Client().get(f"/en/partnerships/?swedish_partner={VASTERBOTTEN}")
    assert [p.slug for p in listed.context["page"].object_list] == ["vasterbotten-if"]
    page = Client().get(f"/uk/municipalities/{VASTERBOTTEN}/").content.decode()
    assert "/uk/partnerships/vasterbotten-if/" in page
    api = Client().get(f"/api/v1/partnerships?swedish_partner={VASTERBOTTEN}").json()
    assert [p["slug"] for p in api["results"]] == ["vasterbotten-if"]
    assert Network.objects.filter(slug="democratic-resilience").exists()
