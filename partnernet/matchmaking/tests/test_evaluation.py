"""Evaluation: needs and offers written in different languages whose right partners are known.
The right partner must rank in the top 3, both ways, with no cooperation areas given (so
meaning and topics do the work)."""

import pytest

from partnernet.lib import embeddings
from partnernet.matchmaking import meaning, topics
from partnernet.matchmaking.scoring import Party, Pool, rank
from partnernet.matchmaking.services import embed_texts

# (Swedish offer in Swedish, need, language of the need)
PAIRS = [
    (
        "Vi erbjuder erfarenhet av vattenförsörjning, avloppsrening och dricksvattenkvalitet.",
        "Громада потребує допомоги з водопостачанням і очищенням стічних вод.",
        "uk",
    ),
    (
        "Vi delar kunskap om avfallshantering, sortering och återvinning av hushållsavfall.",
        "We need to build a system for sorting and recycling household waste.",
        "en",
    ),
    (
        "Vi erbjuder stöd i skolutveckling, lärarfortbildning och inkluderande undervisning.",
        "Нам потрібен досвід розвитку шкіл, підвищення кваліфікації вчителів та "
        "інклюзивного навчання.",
        "uk",
    ),
    (
        "Kommunen har lång erfarenhet av energieffektivisering, fjärrvärme och förnybar energi.",
        "Громада шукає досвіду з енергоефективності, теплопостачання та відновлюваної енергетики.",
        "uk",
    ),
    (
        "Vi erbjuder metoder för medborgardialog och digital delaktighet i stadsplaneringen.",
        "We want residents to take part digitally in planning the city.",
        "en",
    ),
    (
        "Vi delar erfarenhet av krisberedskap, civilt försvar och kontinuitetsplanering.",
        "Нам потрібна підтримка в готовності до криз і цивільному захисті населення.",
        "uk",
    ),
    (
        "Vi arbetar med ungdomsråd och med att engagera unga i lokala beslut.",
        "Громада хоче залучати молодь до ухвалення місцевих рішень через молодіжну раду.",
        "uk",
    ),
    (
        "Vi erbjuder kunskap om äldreomsorg och sociala tjänster.",
        "We need support to develop elderly care and social services.",
        "en",
    ),
    (
        "Vi har erfarenhet av kollektivtrafik, cykelvägar och trafiksäkerhet.",
        "Vi behöver stöd för att bygga upp kollektivtrafik och säkra cykelvägar.",
        "sv",
    ),
]

pytestmark = pytest.mark.skipif(not embeddings.available(), reason="embedding model unavailable")


def _party(key: str, country: str, text: str, language: str, vectors: dict) -> Party:
    keys = frozenset(topics.profile_keywords({language: text}))
    return Party(
        key=key,
        name=key,
        country=country,
        has_profile=True,
        keywords=keys,
        topics=frozenset(topics.detect(keys)),
        embedding=meaning.topic_vector(vectors[text], language),
    )


@pytest.fixture(scope="module")
def world():
    vectors = embed_texts([t for offer, need, _ in PAIRS for t in (offer, need)])
    offers = [_party(f"SE{i}", "SE", o, "sv", vectors) for i, (o, _n, _l) in enumerate(PAIRS)]
    needs = [_party(f"UA{i}", "UA", n, lang, vectors) for i, (_o, n, lang) in enumerate(PAIRS)]
    return offers, needs


@pytest.mark.parametrize("i", range(len(PAIRS)))
def test_the_right_swedish_partner_ranks_in_the_top_three_for_a_need(world, i):
    offers, needs = world
    top = [s.key for s in rank(needs[i], Pool(offers), top=3)]
    assert f"SE{i}" in top, (PAIRS[i][1], top)


@pytest.mark.parametrize("i", range(len(PAIRS)))
def test_the_right_need_ranks_in_the_top_three_for_an_offer(world, i):
    offers, needs = world
    top = [s.key for s in rank(offers[i], Pool(needs), top=3)]
    assert f"UA{i}" in top, (PAIRS[i][0], top)
