"""Property tests of the pure engine: deterministic, hard constraints hold, independent scores."""

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from partnernet.matchmaking.scoring import Party, Pool, rank, score_matrix

KEYS = [f"SE{i:02d}" for i in range(8)] + [f"UA{i:02d}" for i in range(8)]
WORDS = st.frozensets(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=3)


@st.composite
def parties(draw, key):
    vector = draw(st.one_of(st.none(), st.lists(st.floats(-1, 1), min_size=4, max_size=4)))
    if vector is not None:
        vector = np.asarray(vector, dtype=np.float32)
        norm = np.linalg.norm(vector)
        vector = vector / norm if norm > 1e-3 else None
    return Party(
        key=key,
        name=key,
        country=key[:2],
        kind=draw(st.sampled_from(["kommun", "urban", "settlement", "rural"])),
        region=draw(st.sampled_from(["r1", "r2", ""])),
        population=draw(st.one_of(st.none(), st.integers(1_000, 1_000_000))),
        has_profile=draw(st.booleans()),
        areas=draw(WORDS),
        topics=draw(WORDS),
        keywords=draw(WORDS),
        embedding=vector,
        capacity=draw(st.integers(1, 3)),
        load=draw(st.integers(0, 3)),
        excluded=draw(st.frozensets(st.sampled_from(KEYS), max_size=2)),
        partners=draw(st.frozensets(st.sampled_from(KEYS), max_size=2)),
        linked_regions=draw(st.frozensets(st.sampled_from(["r1", "r2"]), max_size=1)),
    )


@st.composite
def worlds(draw):
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=2, max_size=12, unique=True))
    return [draw(parties(key)) for key in keys]


@pytest.mark.reaches("someone ranked", "nobody ranked")
@settings(max_examples=60, deadline=None)
@given(worlds(), st.data())
def test_rankings_are_deterministic_and_independent_of_pool_order(world, data):
    seeker = data.draw(st.sampled_from(world))
    first = rank(seeker, Pool(world), top=None)
    event("someone ranked" if first else "nobody ranked")
    again = rank(seeker, Pool(list(reversed(world))), top=None)
    assert [(s.key, s.score) for s in first] == [(s.key, s.score) for s in again]


@pytest.mark.reaches("partners first", "only new candidates")
@settings(max_examples=60, deadline=None)
@given(worlds(), st.data())
def test_hard_constraints_are_never_violated(world, data):
    seeker = data.draw(st.sampled_from(world))
    by_key = {p.key: p for p in world}
    ranked = rank(seeker, Pool(world), top=None)
    seen_new = False
    for suggestion in ranked:
        candidate = by_key[suggestion.key]
        assert candidate.offers != seeker.offers  # never the same side (not eligible)
        assert candidate.key not in seeker.excluded and seeker.key not in candidate.excluded
        partners = candidate.key in seeker.partners or seeker.key in candidate.partners
        assert suggestion.already_partners == partners
        assert suggestion.proposable == (not partners)
        assert not (partners and seen_new), "existing partners come first"
        seen_new = seen_new or not partners
        assert suggestion.reasons, "every suggestion carries reasons"
    if ranked:
        partners_ranked = any(s.already_partners for s in ranked)
        event("partners first" if partners_ranked else "only new candidates")


@pytest.mark.reaches("newcomer ranked", "newcomer not ranked")
@settings(max_examples=60, deadline=None)
@given(worlds(), st.data())
def test_adding_an_unrelated_candidate_never_reorders_the_others(world, data):
    seeker = data.draw(st.sampled_from(world))
    unused = [k for k in KEYS if k not in {p.key for p in world}]
    if not unused:
        event("no key left")
        return
    newcomer = data.draw(parties(data.draw(st.sampled_from(unused))))
    newcomer = Party(**{**newcomer.__dict__, "partners": frozenset(), "excluded": frozenset()})
    before = [s.key for s in rank(seeker, Pool(world), top=None)]
    with_newcomer = [s.key for s in rank(seeker, Pool([*world, newcomer]), top=None)]
    event("newcomer ranked" if newcomer.key in with_newcomer else "newcomer not ranked")
    assert before == [key for key in with_newcomer if key != newcomer.key]


def test_the_matrix_agrees_with_single_rankings():
    world = [
        Party(key="SE1", name="a", country="SE", population=50_000, areas=frozenset("x")),
        Party(key="UA1", name="b", country="UA", areas=frozenset("x"), has_profile=True),
        Party(key="UA2", name="c", country="UA"),
    ]
    pool = Pool(world)
    matrix = score_matrix([world[0]], pool)
    ranked = {s.key: s.score for s in rank(world[0], pool, top=None)}
    assert matrix[0, 0] == -1  # not eligible: same side
    assert matrix[0, 1] == ranked["UA1"] > matrix[0, 2] == ranked["UA2"]


@pytest.mark.reaches("cut", "whole ranking")
@settings(max_examples=60, deadline=None)
@given(worlds(), st.data(), st.integers(1, 5))
def test_the_top_n_is_the_head_of_the_full_ranking(world, data, top):
    seeker = data.draw(st.sampled_from(world))
    pool = Pool(world)
    full = [s.key for s in rank(seeker, pool, top=None)]
    event("cut" if len(full) > top else "whole ranking")
    assert [s.key for s in rank(seeker, pool, top=top)] == full[:top]
