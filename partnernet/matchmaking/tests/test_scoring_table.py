"""The engine against numbers worked out by hand from the documented rules (`scoring.py`'s
weights: areas 0.22, meaning 0.28, topics 0.20, keywords 0.08, size 0.08, kind 0.05,
region 0.04, capacity 0.05; a candidate with no room keeps 60 %), and the reasons rendered in
each language. Nothing here is computed with the engine's own helpers."""

import pytest
from django.utils import translation

from partnernet.matchmaking import reasons
from partnernet.matchmaking.scoring import Party, Pool, Reason, components, rank

# The seeker of every table: a Ukrainian urban hromada of 50 000 asking for water, with two
# topics and six keywords. Candidates are Swedish kommuner of 50 000 (urban by population),
# so size and kind agree fully and every candidate starts from 0.08 + 0.05 + 0.05 = 0.18.
SEEKER = Party(
    key="UA-SEEK",
    name="Seekerhromada",
    country="UA",
    kind="urban",
    population=50_000,
    has_profile=True,
    areas=frozenset({"water"}),
    topics=frozenset({"water", "waste"}),
    keywords=frozenset("abcdef"),
    excluded=frozenset({"SE-H"}),
    partners=frozenset({"SE-G"}),
)


def se(key: str, **kwargs) -> Party:
    defaults = {"name": key, "country": "SE", "kind": "kommun", "population": 50_000}
    return Party(key=key, has_profile=True, **{**defaults, **kwargs})


WATER = frozenset({"water"})
BOTH_TOPICS = frozenset({"water", "waste"})
# key → (candidate, expected score by hand)
TABLE = {
    "SE-A": (se("SE-A", areas=WATER, topics=BOTH_TOPICS), 0.18 + 0.22 + 0.20),
    "SE-B": (se("SE-B", areas=WATER), 0.18 + 0.22),
    "SE-C": (se("SE-C", topics=frozenset({"waste"})), 0.18 + 0.20 / 2),
    "SE-D": (se("SE-D", keywords=frozenset("abc")), 0.18 + 0.08 * 3 / 6),
    "SE-E": (se("SE-E"), 0.18),
    # as good a fit as SE-A but full: capacity 0 and the 60 % penalty
    "SE-F": (se("SE-F", areas=WATER, topics=BOTH_TOPICS, load=1), (0.60 - 0.05) * 0.6),
    # an existing partner: first whatever its score; its full load is not a penalty
    "SE-G": (se("SE-G", load=1), 0.18 - 0.05),
    "SE-J": (se("SE-J"), 0.18),  # ties with SE-E: the official code decides
}
NEVER = [
    se("SE-H", areas=WATER, topics=BOTH_TOPICS),  # the seeker excluded it
    se("SE-I", areas=WATER, excluded=frozenset({"UA-SEEK"})),  # it excluded the seeker
    Party(key="UA-X", name="UA-X", country="UA", areas=WATER),  # the seeker's own side
]
EXPECTED_ORDER = ["SE-G", "SE-A", "SE-B", "SE-F", "SE-C", "SE-D", "SE-E", "SE-J"]


def _pool() -> Pool:
    return Pool([*NEVER, *(candidate for candidate, _score in TABLE.values())])


def test_the_hand_written_ranking():
    ranked = rank(SEEKER, _pool(), top=None)
    assert [s.key for s in ranked] == EXPECTED_ORDER


@pytest.mark.parametrize("key", sorted(TABLE))
def test_each_score_is_the_hand_computed_weighted_sum(key):
    ranked = {s.key: s for s in rank(SEEKER, _pool(), top=None)}
    assert ranked[key].score == pytest.approx(TABLE[key][1], abs=1e-6)


def test_only_the_existing_partner_is_flagged_and_not_proposable():
    ranked = rank(SEEKER, _pool(), top=None)
    assert [(s.key, s.already_partners, s.proposable) for s in ranked][:2] == [
        ("SE-G", True, False),
        ("SE-A", False, True),
    ]
    assert all(s.proposable for s in ranked[1:])


@pytest.mark.parametrize(
    "top,expected", [(1, ["SE-G"]), (3, EXPECTED_ORDER[:3]), (50, EXPECTED_ORDER)]
)
def test_the_top_of_the_table(top, expected):
    assert [s.key for s in rank(SEEKER, _pool(), top=top)] == expected


def test_a_swedish_seeker_sees_only_the_other_side():
    world = [se("SE-1"), se("SE-2"), Party(key="UA-1", name="u", country="UA")]
    assert [s.key for s in rank(world[0], Pool(world), top=None)] == ["UA-1"]


def test_an_empty_pool_and_a_pool_of_only_ineligible_candidates_rank_nothing():
    assert rank(SEEKER, Pool([]), top=None) == []
    assert rank(SEEKER, Pool(NEVER), top=None) == []


def test_the_reasons_of_the_best_new_candidate():
    ranked = {s.key: s for s in rank(SEEKER, _pool(), top=None)}
    assert list(ranked["SE-A"].reasons) == [
        Reason("shared_area", {"area": "water"}),
        Reason(
            "offer_meets_need", {"offerer": "SE-A", "needer": "Seekerhromada", "topic": "waste"}
        ),
        Reason(
            "offer_meets_need", {"offerer": "SE-A", "needer": "Seekerhromada", "topic": "water"}
        ),
        Reason("similar_size", {"a": 50_000, "b": 50_000}),
        Reason("has_capacity", {"name": "SE-A", "free": 1}),
    ]


def test_the_reasons_of_a_partner_and_of_a_full_candidate():
    ranked = {s.key: s for s in rank(SEEKER, _pool(), top=None)}
    partner_codes = [r.code for r in ranked["SE-G"].reasons]
    assert partner_codes == ["already_partners", "similar_size", "has_capacity"]
    assert ranked["SE-G"].reasons[-1].params == {"name": "SE-G", "free": 1}
    assert ranked["SE-F"].reasons[-1] == Reason(
        "at_capacity", {"name": "SE-F", "load": 1, "capacity": 1}
    )


def test_a_candidate_without_a_profile_says_so_and_an_unknown_population_is_named():
    bare = Party(key="SE-Z", name="Zby", country="SE", kind="kommun", population=None)
    (suggestion,) = rank(SEEKER, Pool([bare]), top=None)
    codes = [r.code for r in suggestion.reasons]
    assert codes == ["population_unknown", "has_capacity", "no_profile"]
    assert suggestion.reasons[0].params == {"name": "Zby"}
    # Unknown size and kind are neutral (0.5 each), not a penalty: 0.08·½ + 0.05·½ + 0.05.
    assert suggestion.score == pytest.approx(0.04 + 0.025 + 0.05, abs=1e-6)


# Components, one at a time ----------------------------------------------------------------


def _component(name: str, seeker: Party, candidate: Party) -> float:
    return float(components(seeker, Pool([candidate]))[name][0])


UA = {"key": "UA-S", "name": "s", "country": "UA"}
SE = {"key": "SE-C", "name": "c", "country": "SE", "kind": "kommun"}


@pytest.mark.parametrize(
    "seeker_pop,candidate_pop,size",
    [
        (10_000, 10_000, 1.0),
        (10_000, 100_000, 1 - 1 / 1.5),  # ten times bigger: one order of magnitude of 1.5
        (100_000, 10_000, 1 - 1 / 1.5),
        (10_000, 31_623, 1 - 0.5 / 1.5),
        (10_000, 1_000_000, 0.0),  # a hundred times: not similar at all
        (1_000, 10_000_000, 0.0),
        (None, 10_000, 0.5),  # unknown: neutral
        (10_000, None, 0.5),
    ],
)
def test_size_by_population(seeker_pop, candidate_pop, size):
    seeker = Party(**UA, kind="urban", population=seeker_pop)
    candidate = Party(**SE, population=candidate_pop)
    assert _component("size", seeker, candidate) == pytest.approx(size, abs=1e-4)


@pytest.mark.parametrize(
    "seeker_kind,candidate_pop,kind",
    [
        ("urban", 40_000, 1.0),  # a kommun of 40 000 or more counts as urban
        ("urban", 39_999, 0.5),  # ... below, as a small town
        ("urban", 11_999, 0.0),  # ... below 12 000, as rural
        ("special_city", 100_000, 1.0),
        ("settlement", 12_000, 1.0),
        ("settlement", 100_000, 0.5),
        ("rural", 5_000, 1.0),
        ("rural", 40_000, 0.0),
        ("urban", None, 0.5),  # a kommun of unknown size: neutral
    ],
)
def test_kind_by_class(seeker_kind, candidate_pop, kind):
    seeker = Party(**UA, kind=seeker_kind, population=10_000)
    candidate = Party(**SE, population=candidate_pop)
    assert _component("kind", seeker, candidate) == pytest.approx(kind)


@pytest.mark.parametrize(
    "capacity,load,value",
    [(1, 0, 1.0), (2, 1, 0.5), (3, 1, 2 / 3), (1, 1, 0.0), (1, 3, 0.0), (0, 0, 1.0), (4, 0, 1.0)],
)
def test_capacity_is_the_share_of_room_left(capacity, load, value):
    candidate = Party(**SE, capacity=capacity, load=load)
    assert _component("capacity", Party(**UA), candidate) == pytest.approx(value, abs=1e-6)


@pytest.mark.parametrize(
    "seeker_areas,candidate_areas,value",
    [
        ("ab", "a", 0.5),
        ("ab", "ab", 1.0),
        ("ab", "abc", 1.0),  # the share of the seeker's areas: extra ones do not count
        ("a", "b", 0.0),
        ("", "ab", 0.0),
        ("abcd", "c", 0.25),
    ],
)
def test_areas_are_the_share_of_the_seekers_areas(seeker_areas, candidate_areas, value):
    seeker = Party(**UA, areas=frozenset(seeker_areas))
    candidate = Party(**SE, areas=frozenset(candidate_areas))
    assert _component("areas", seeker, candidate) == pytest.approx(value)


@pytest.mark.parametrize("shared,value", [(0, 0.0), (1, 1 / 6), (3, 0.5), (6, 1.0), (9, 1.0)])
def test_keywords_count_up_to_six(shared, value):
    words = [f"w{i}" for i in range(9)]
    seeker = Party(**UA, keywords=frozenset(words))
    candidate = Party(**SE, keywords=frozenset(words[:shared]) | {"other"})
    assert _component("keywords", seeker, candidate) == pytest.approx(value)


def test_linked_regions_count_only_for_the_candidates_region():
    seeker = Party(**UA, region="ua-kyiv", linked_regions=frozenset({"se-uppsala"}))
    linked = Party(**SE, region="se-uppsala")
    other = Party(**{**SE, "key": "SE-D"}, region="se-dalarna")
    values = components(seeker, Pool([linked, other]))["region"]
    assert list(values) == [1.0, 0.0]


@pytest.mark.parametrize(
    "cosine,meaning",
    [(0.05, 0.0), (0.0, 0.0), (-0.5, 0.0), (0.40, 1.0), (0.9, 1.0), (0.225, 0.5)],
)
def test_meaning_maps_the_cosine_between_floor_and_ceiling(cosine, meaning):
    import numpy as np

    seeker = Party(**UA, embedding=np.array([1.0, 0.0], dtype=np.float32))
    other = np.array([cosine, (1 - cosine**2) ** 0.5], dtype=np.float32)
    candidate = Party(**SE, embedding=other)
    assert _component("meaning", seeker, candidate) == pytest.approx(meaning, abs=1e-5)


def test_no_vector_on_either_side_means_no_meaning():
    import numpy as np

    seeker = Party(**UA, embedding=np.array([1.0, 0.0], dtype=np.float32))
    assert _component("meaning", seeker, Party(**SE)) == 0.0
    vector = np.array([1.0, 0.0], dtype=np.float32)
    assert _component("meaning", Party(**UA), Party(**SE, embedding=vector)) == 0.0


# Reasons in the reader's language ---------------------------------------------------------


@pytest.mark.parametrize(
    "reason,english",
    [
        (
            Reason("similar_size", {"a": 12_000, "b": 150_000}),
            "Similar size (12 000 and 150 000 inhabitants)",
        ),
        (
            Reason("has_capacity", {"name": "Falun", "free": 1}),
            "Falun has room for 1 more partnership",
        ),
        (
            Reason("has_capacity", {"name": "Falun", "free": 2}),
            "Falun has room for 2 more partnerships",
        ),
        (
            Reason("at_capacity", {"name": "Umeå", "load": 2, "capacity": 2}),
            "Umeå already has 2 of 2 partnerships",
        ),
        (Reason("same_kind", {"kind": 0}), "Both are rural municipalities"),
        (Reason("same_kind", {"kind": 2}), "Both are urban municipalities"),
        (Reason("shared_area", {"area": "water"}), "Both work on water"),
        (
            Reason("close_in_meaning", {"percent": 37}),
            "Needs and offers are close in meaning (similarity 37 out of 100)",
        ),
        (Reason("mystery_code", {}), "mystery_code"),
        (
            {"code": "population_unknown", "params": {"name": "Zby"}},
            "The population of Zby is not known, so size is not compared",
        ),
    ],
)
def test_reasons_in_english(reason, english):
    with translation.override("en"):
        assert reasons.render(reason) == english


def test_an_area_is_named_by_the_given_names():
    with translation.override("en"):
        text = reasons.render(
            Reason("shared_area", {"area": "water"}), {"water": "Water and sanitation"}
        )
    assert text == "Both work on Water and sanitation"


@pytest.mark.parametrize(
    "free,ending",
    [
        (1, "партнерство"),
        (21, "партнерство"),
        (3, "партнерства"),
        (22, "партнерства"),
        (5, "партнерств"),
        (11, "партнерств"),
        (14, "партнерств"),
    ],
)
def test_room_left_uses_the_three_ukrainian_plural_forms(free, ending):
    with translation.override("uk"):
        text = reasons.render(Reason("has_capacity", {"name": "Буча", "free": free}))
    assert text == f"Буча може взяти ще {free} {ending}"


def test_room_left_in_swedish():
    with translation.override("sv"):
        assert reasons.render(Reason("has_capacity", {"name": "Falun", "free": 3})) == (
            "Falun har plats för 3 partnerskap till"
        )
