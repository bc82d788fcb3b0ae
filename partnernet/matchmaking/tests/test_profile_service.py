"""`services.profile_save` on fresh municipalities: the side follows the country, translations
go out of date when the original changes (and only then), exclusions are kept unless given,
saving twice joins the queue once, and the audit trail records the text, not the contact."""

import pytest

from partnernet.audit.models import AuditEntry
from partnernet.lib import embeddings
from partnernet.lib.systemtext import render
from partnernet.matchmaking import services
from partnernet.matchmaking.models import InterestProfile, QueueEntry, QueueMove
from partnernet.municipalities.models import Country

from . import factories

pytestmark = pytest.mark.django_db


def save(place, network, text="We need clean water", language="en", **kwargs):
    return services.profile_save(
        municipality=place,
        network=network,
        actor=None,
        text=text,
        source_language=language,
        areas=kwargs.pop("areas", []),
        **kwargs,
    )


@pytest.mark.parametrize("country,side", [("SE", "offers"), ("UA", "needs"), ("MD", "needs")])
def test_the_side_follows_the_country(country, side):
    Country.objects.get_or_create(code="MD", defaults={"name": "Moldova"})
    profile = save(factories.municipality(country), factories.network())
    assert profile.side == side


def test_the_original_and_its_translations():
    network, place = factories.network(), factories.municipality("UA")
    profile = save(place, network, translations={"sv": "Vi behöver rent vatten", "uk": " "})
    assert profile.translation_state("en") == "original"
    assert profile.translation_state("sv") == "current"
    assert profile.translation_state("uk") == "missing"  # a blank translation is not one
    assert profile.original_text() == "We need clean water"
    assert profile.text_sv == "Vi behöver rent vatten"


def test_a_changed_original_puts_the_translations_out_of_date():
    network, place = factories.network(), factories.municipality("UA")
    save(place, network, translations={"sv": "Vi behöver rent vatten"})
    profile = save(place, network, text="We need clean water and waste management")
    assert profile.translation_state("sv") == "outdated"
    assert InterestProfile.objects.get(pk=profile.pk).text_sv == "Vi behöver rent vatten"


def test_an_unchanged_original_keeps_the_translations_current():
    network, place = factories.network(), factories.municipality("UA")
    first = save(place, network, translations={"sv": "Vi behöver rent vatten"})
    again = save(place, network, priorities="soon", capacity=2)
    assert again.source_updated_at == first.source_updated_at
    assert again.translation_state("sv") == "current"
    assert (again.priorities, again.capacity) == ("soon", 2)


def test_a_new_translation_of_a_changed_original_is_current_again():
    network, place = factories.network(), factories.municipality("UA")
    save(place, network, translations={"sv": "Vi behöver rent vatten"})
    save(place, network, text="Waste management")
    profile = save(place, network, text="Waste management", translations={"sv": "Avfallshantering"})
    assert profile.translation_state("sv") == "current"


def test_a_swedish_original_is_also_the_default_text():
    network, place = factories.network(), factories.municipality("SE")
    profile = save(place, network, text="Vi erbjuder avfallshantering", language="sv")
    assert profile.text == profile.text_sv == "Vi erbjuder avfallshantering"
    assert "waste" in profile.topics


def test_exclusions_are_kept_unless_given_and_cleared_by_an_empty_list():
    network, place = factories.network(), factories.municipality("UA")
    unwanted = factories.municipality("SE")
    save(place, network, excluded=[unwanted])
    save(place, network)  # not given: unchanged
    profile = InterestProfile.objects.get(municipality=place, network=network)
    assert list(profile.excluded.all()) == [unwanted]
    save(place, network, excluded=[])
    assert not profile.excluded.exists()


def test_saving_twice_joins_the_queue_once_and_audits_create_then_update():
    network, place = factories.network(), factories.municipality("UA")
    profile = save(place, network, capacity=1)
    save(place, network, text="Changed text", capacity=3)
    entry = QueueEntry.objects.get(municipality=place, network=network)
    assert [m.kind for m in QueueMove.objects.filter(entry=entry)] == ["join"]
    # The history line is a system text, read in each reader's language.
    reason = QueueMove.objects.get(entry=entry).reason
    assert render(reason, "sv") == "Intresseprofil registrerad"
    assert render(reason, "en") == "Interest profile registered"
    audits = AuditEntry.objects.filter(
        object_type="matchmaking.interestprofile", object_id=str(profile.pk)
    ).order_by("id")
    assert [a.action for a in audits] == ["create", "update"]
    update = audits.last()
    assert update.before == {
        "text": "We need clean water",
        "language": "en",
        "priorities": "",
        "capacity": 1,
    }
    assert update.after == {
        "text": "Changed text",
        "language": "en",
        "priorities": "",
        "capacity": 3,
    }


def test_a_profile_belongs_to_one_network():
    first, second, place = factories.network(), factories.network(), factories.municipality("UA")
    a = save(place, first, text="Water")
    b = save(place, second, text="Schools")
    assert a.pk != b.pk
    assert InterestProfile.objects.get(pk=a.pk).original_text() == "Water"
    assert InterestProfile.objects.filter(municipality=place).count() == 2


def test_the_indexed_text_is_the_original_plus_the_priorities():
    network, place = factories.network(), factories.municipality("UA")
    profile = save(place, network, text="Clean water", priorities="  ")
    assert services.profile_index_text(profile) == "Clean water"
    profile = save(place, network, text="Clean water", priorities="Before winter")
    assert services.profile_index_text(profile) == "Clean water\nBefore winter"


@pytest.mark.skipif(not embeddings.available(), reason="the embedding model is not installed")
def test_unchanged_text_is_not_embedded_again():
    network, place = factories.network(), factories.municipality("UA")
    profile = save(place, network, text="Clean water")
    assert profile.embedded_text == "Clean water" and profile.embedding
    assert services.profile_refresh_index(profile) is False
    profile.priorities = "Before winter"
    assert services.profile_refresh_index(profile) is True
    assert profile.embedded_text == "Clean water\nBefore winter"
