import pytest

from partnernet.lib import embeddings
from partnernet.matchmaking import candidates, services
from partnernet.matchmaking.models import InterestProfile
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Network

pytestmark = pytest.mark.django_db


def forbid_embedding(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the model was called")

    monkeypatch.setattr(embeddings, "embed_passages", fail)
    monkeypatch.setattr(embeddings, "embed_query", fail)


def test_a_ranking_never_embeds_anything(monkeypatch):
    forbid_embedding(monkeypatch)
    network = Network.objects.get(slug="democratic-resilience")
    ranked = candidates.suggest(network=network, municipality=Municipality.objects.get(code="2080"))
    assert ranked[0].key == "UA26080070000092582"


def test_saving_an_unchanged_text_does_not_embed_it_again(monkeypatch):
    profile = InterestProfile.objects.get(municipality__code="2080")
    before = bytes(profile.embedding)
    forbid_embedding(monkeypatch)
    services.profile_save(
        municipality=profile.municipality,
        network=profile.network,
        actor=None,
        text=profile.original_text(),
        source_language=profile.source_language,
        areas=list(profile.areas.all()),
        priorities=profile.priorities,
        capacity=2,
    )
    profile.refresh_from_db()
    assert profile.capacity == 2 and bytes(profile.embedding) == before
