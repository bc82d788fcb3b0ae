"""Properties of the engine that follow from its documented rules, over random parties (the
strategies of `test_scoring_properties`). Each property needs ENOUGH accepted examples and names
the outcomes it must reach (`reaches`, lib.testing_properties): a strategy that only produced
refused inputs would otherwise pass without testing anything."""

import math

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from partnernet.matchmaking.scoring import FULL_PENALTY, WEIGHTS, Party, Pool, components, rank

from .test_scoring_properties import worlds

ENOUGH = 20  # accepted examples each property must see


def _with(party: Party, **changes) -> Party:
    return Party(**{**party.__dict__, **changes})


def _score(seeker: Party, world: list[Party], key: str) -> float | None:
    return next((s.score for s in rank(seeker, Pool(world), top=None) if s.key == key), None)


@pytest.mark.reaches("one ranked", "several ranked", passed=ENOUGH)
@settings(max_examples=80, deadline=None)
@given(worlds(), st.data())
def test_every_score_and_every_component_lies_between_0_and_1(world, data):
    seeker = data.draw(st.sampled_from(world))
    ranked = rank(seeker, Pool(world), top=None)
    assume(ranked)
    event("one ranked" if len(ranked) == 1 else "several ranked")
    for suggestion in ranked:
        assert 0.0 <= suggestion.score <= 1.0
        for name in WEIGHTS:
            assert 0.0 <= suggestion.components[name] <= 1.0, name


@pytest.mark.reaches("full", "room left", passed=ENOUGH)
@settings(max_examples=120, deadline=None)
@given(worlds(), st.data())
def test_sharing_one_more_of_the_seekers_areas_raises_the_score_by_its_weight(world, data):
    """The areas component is the share of the seeker's areas the candidate has, weighted
    0.22: one more shared area adds 0.22 / (number of the seeker's areas), times 0.6 for a
    candidate without room (and not an existing partner)."""
    seeker = data.draw(st.sampled_from(world))
    others = [p for p in world if p.offers != seeker.offers]
    assume(others and seeker.areas)
    candidate = data.draw(st.sampled_from(others))
    missing = sorted(seeker.areas - candidate.areas)
    assume(missing)
    before = _score(seeker, world, candidate.key)
    assume(before is not None)  # excluded either way: not ranked at all
    richer = _with(candidate, areas=candidate.areas | {missing[0]})
    after = _score(seeker, [richer if p is candidate else p for p in world], candidate.key)
    partners = candidate.key in seeker.partners or seeker.key in candidate.partners
    full = candidate.load >= max(candidate.capacity, 1) and not partners
    step = WEIGHTS["areas"] / len(seeker.areas) * (FULL_PENALTY if full else 1)
    event("full" if full else "room left")
    assert after is not None and math.isclose(after - before, step, abs_tol=2e-6)


@pytest.mark.reaches("lower", "unchanged", passed=ENOUGH)
@settings(max_examples=80, deadline=None)
@given(worlds(), st.data())
def test_more_load_never_raises_a_score(world, data):
    seeker = data.draw(st.sampled_from(world))
    others = [p for p in world if p.offers != seeker.offers]
    assume(others)
    candidate = data.draw(st.sampled_from(others))
    before = _score(seeker, world, candidate.key)
    assume(before is not None)
    busier = _with(candidate, load=candidate.load + 1)
    after = _score(seeker, [busier if p is candidate else p for p in world], candidate.key)
    assert after is not None and after <= before + 1e-9
    event("lower" if after < before else "unchanged")


@pytest.mark.reaches("with vectors", "without vectors", passed=ENOUGH)
@settings(max_examples=80, deadline=None)
@given(worlds(), st.data())
def test_size_kind_and_meaning_are_symmetric_between_the_two_sides(world, data):
    a = data.draw(st.sampled_from(world))
    others = [p for p in world if p.offers != a.offers]
    assume(others)
    b = data.draw(st.sampled_from(others))
    there, back = components(a, Pool([b])), components(b, Pool([a]))
    for name in ("size", "kind", "meaning"):
        assert math.isclose(float(there[name][0]), float(back[name][0]), abs_tol=1e-6), name
    event(
        "with vectors" if a.embedding is not None and b.embedding is not None else "without vectors"
    )


@pytest.mark.reaches("both ranked", "excluded", passed=ENOUGH)
@settings(max_examples=80, deadline=None)
@given(worlds(), st.data())
def test_eligibility_and_partnership_are_the_same_seen_from_either_side(world, data):
    """Exclusion works either way and a partnership is one fact: if b is ranked for a, a is
    ranked for b, and both see the same "already partners" flag."""
    a = data.draw(st.sampled_from(world))
    others = [p for p in world if p.offers != a.offers]
    assume(others)
    b = data.draw(st.sampled_from(others))
    pool = Pool(world)
    from_a = {s.key: s for s in rank(a, pool, top=None)}
    from_b = {s.key: s for s in rank(b, pool, top=None)}
    assert (b.key in from_a) == (a.key in from_b)
    if b.key in from_a:
        assert from_a[b.key].already_partners == from_b[a.key].already_partners
        event("both ranked")
    else:
        event("excluded")


@pytest.mark.reaches("the only candidate", "one of several", passed=ENOUGH)
@settings(max_examples=80, deadline=None)
@given(worlds(), st.data())
def test_an_exclusion_removes_exactly_that_candidate(world, data):
    seeker = data.draw(st.sampled_from(world))
    ranked = [s.key for s in rank(seeker, Pool(world), top=None)]
    assume(ranked)
    victim = data.draw(st.sampled_from(ranked))
    event("the only candidate" if len(ranked) == 1 else "one of several")
    picky = _with(seeker, excluded=seeker.excluded | {victim})
    world2 = [picky if p is seeker else p for p in world]
    after = [s.key for s in rank(picky, Pool(world2), top=None)]
    assert after == [k for k in ranked if k != victim]


@pytest.mark.reaches("both sides", "one side", passed=ENOUGH)
@settings(max_examples=40, deadline=None)
@given(worlds(), st.data())
def test_no_party_ever_ranks_itself(world, data):
    event("both sides" if len({p.offers for p in world}) == 2 else "one side")
    for party in world:
        assert party.key not in {s.key for s in rank(party, Pool(world), top=None)}


@pytest.mark.reaches("both sides", "vectors", "exclusions", "full")
@settings(max_examples=60, deadline=None)
@given(worlds())
def test_the_strategies_produce_both_sides_and_vectors(world):
    """The generated worlds are worth testing on: both sides, exclusions and vectors occur."""
    if {p.offers for p in world} == {True, False}:
        event("both sides")
    if any(p.embedding is not None for p in world):
        event("vectors")
    if any(p.excluded for p in world):
        event("exclusions")
    if any(p.load >= p.capacity for p in world):
        event("full")
