"""The matchmaking engine: pure functions over plain values, no database access.

A seeker (`Party`) is scored against a pool of candidates on the other side (`Pool`, the same
parties stored column-wise in numpy arrays, so one ranking over 100 000 candidates is a few
vector operations). Each component is a number from 0 to 1; the score is their weighted sum
(`WEIGHTS`, the one place where the balance is decided), times a penalty when the candidate
has no room left. A candidate's score never depends on the other candidates, so adding one
never reorders the rest; ties are broken by official code, so rankings are deterministic.

Hard constraints:
* not eligible: a match pairs a Swedish municipality with one in another country; candidates
  from the seeker's own side are never ranked;
* excluded: a party that excluded the other (either way) is never ranked;
* already partners: an existing partnership is listed FIRST, flagged `already_partners` and
  `proposable=False` (an officer can never propose it again). It is the strongest evidence of
  fit we have, and someone looking up Falun expects to see Kolomyia; new candidates follow.

Explanations are structured (`Reason(code, params)`) and rendered in the reader's language by
`reasons.render`; they are computed only for the suggestions returned.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from partnernet.municipalities.partners import is_swedish_side

# The weights of the components (they sum to 1). Profile-based components (areas, meaning,
# topics, keywords) carry 0.78, so a candidate with a matching profile always outranks one
# without a profile, which can only collect size, kind, region and capacity (0.22).
WEIGHTS = {
    "areas": 0.22,  # cooperation areas in common, share of the seeker's areas
    "meaning": 0.28,  # needs against offers by meaning (multilingual embeddings)
    "topics": 0.20,  # topics one side offers and the other asks for (lemmatised keywords)
    "keywords": 0.08,  # other lemmatised keywords in common (same-language wording)
    "size": 0.08,  # similar population (log scale); neutral when unknown
    "kind": 0.05,  # urban / settlement / rural character
    "region": 0.04,  # the regions already work together in another partnership
    "capacity": 0.05,  # room left: capacity minus current load
}
FULL_PENALTY = 0.6  # a candidate with no room left keeps 60 % of its score
# Cosine of language-neutral vectors (see meaning.py): ≤ floor unrelated, ≥ ceiling same topic.
MEANING_FLOOR, MEANING_CEILING = 0.05, 0.40
SIZE_SPAN = 1.5  # a population ratio of 10^1.5 (≈ 32×) or more counts as not similar
NEUTRAL = 0.5  # the value of a component that cannot be computed (unknown population, kind)
KEYWORDS_FULL = 6  # this many shared keywords give the full keyword component
# Character of a Swedish kommun by population (there is no urban/rural class in the registry):
# a heuristic, documented here, used only to compare kind with hromadas.
URBAN_POPULATION, SETTLEMENT_POPULATION = 40_000, 12_000
KIND_CLASSES = {"urban": 2, "special_city": 2, "settlement": 1, "rural": 0}


@dataclass(frozen=True)
class Party:
    """A municipality as the engine sees it; text fields are already analysed (keywords, topics,
    embedding), so scoring never touches raw text or the model."""

    key: str
    name: str
    country: str
    kind: str = ""
    region: str = ""
    population: int | None = None
    has_profile: bool = False
    areas: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    keywords: frozenset[str] = frozenset()
    embedding: np.ndarray | None = field(default=None, compare=False, repr=False)
    capacity: int = 1
    load: int = 0
    excluded: frozenset[str] = frozenset()
    partners: frozenset[str] = frozenset()
    linked_regions: frozenset[str] = frozenset()
    region_name: str = ""

    @property
    def offers(self) -> bool:
        return is_swedish_side(self.country)


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict

    def as_dict(self) -> dict:
        return {"code": self.code, "params": self.params}


@dataclass(frozen=True)
class Suggestion:
    key: str
    name: str
    score: float
    already_partners: bool
    proposable: bool
    reasons: tuple[Reason, ...]
    components: dict[str, float]


def kind_class(kind: str, population: int | None) -> int:
    """2 urban, 1 settlement, 0 rural, -1 unknown (a kommun without population)."""
    if kind in KIND_CLASSES:
        return KIND_CLASSES[kind]
    if population is None:
        return -1
    return 2 if population >= URBAN_POPULATION else 1 if population >= SETTLEMENT_POPULATION else 0


def _log_population(population: int | None) -> float:
    return math.log10(population) if population else math.nan


class Pool:
    """Candidates column-wise. Build once per ranking session (it is the expensive part)."""

    def __init__(self, parties: Sequence[Party]):
        self.parties = list(parties)
        n = len(self.parties)
        self.keys = [p.key for p in self.parties]
        self.index = {k: i for i, k in enumerate(self.keys)}
        self.order = np.argsort(np.argsort(np.array(self.keys, dtype=object)))  # code rank
        self.is_swedish = np.array([is_swedish_side(p.country) for p in self.parties], dtype=bool)
        self.has_profile = np.array([p.has_profile for p in self.parties], dtype=bool)
        self.kind = np.array(
            [kind_class(p.kind, p.population) for p in self.parties], dtype=np.int8
        )
        self.logpop = np.array(
            [_log_population(p.population) for p in self.parties], dtype=np.float64
        )
        self.region_ids = {r: i for i, r in enumerate(sorted({p.region for p in self.parties}))}
        self.region = np.array([self.region_ids[p.region] for p in self.parties], dtype=np.int64)
        self.capacity = np.array([max(p.capacity, 1) for p in self.parties], dtype=np.float64)
        self.load = np.array([p.load for p in self.parties], dtype=np.float64)
        self.areas = _inverted((p.areas for p in self.parties), n)
        self.topics = _inverted((p.topics for p in self.parties), n)
        self.keywords = _inverted((p.keywords for p in self.parties), n)
        self.excluders = _inverted((p.excluded for p in self.parties), n)
        self.partnered = _inverted((p.partners for p in self.parties), n)
        with_vector = [i for i, p in enumerate(self.parties) if p.embedding is not None]
        self.vector_rows = np.array(with_vector, dtype=np.int64)
        first = self.parties[with_vector[0]].embedding if with_vector else None
        dims = len(first) if first is not None else 0
        self.vectors = np.zeros((len(with_vector), dims), dtype=np.float32)
        for row, i in enumerate(with_vector):
            self.vectors[row] = self.parties[i].embedding

    def __len__(self) -> int:
        return len(self.parties)


def _inverted(values: Iterable[Iterable[str]], n: int) -> dict[str, np.ndarray]:
    """value → sorted row numbers holding it (an inverted index for set overlaps)."""
    rows: dict[str, list[int]] = {}
    for i, items in enumerate(values):
        for item in items:
            rows.setdefault(item, []).append(i)
    return {k: np.array(v, dtype=np.int64) for k, v in rows.items()}


def _overlap(index: dict[str, np.ndarray], items: Iterable[str], n: int) -> np.ndarray:
    counts = np.zeros(n, dtype=np.float64)
    for item in items:
        rows = index.get(item)
        if rows is not None:
            counts[rows] += 1
    return counts


def _rows(index: dict[str, np.ndarray], key: str, n: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    if key in index:
        mask[index[key]] = True
    return mask


def meaning_similarity(seeker: Party, pool: Pool) -> np.ndarray:
    """Cosine similarity per candidate (0 for candidates without a vector).

    einsum computes each row's dot product with the same summation order wherever the row sits
    in the pool; a BLAS matrix-vector product does not (its kernels differ for the tail rows),
    which made a candidate's score depend on the order of the pool in the last float digits."""
    cosine = np.zeros(len(pool), dtype=np.float64)
    if seeker.embedding is not None and len(pool.vector_rows):
        vector = np.asarray(seeker.embedding, dtype=np.float32)
        cosine[pool.vector_rows] = np.einsum("ij,j->i", pool.vectors, vector)
    return cosine


def components(seeker: Party, pool: Pool) -> dict[str, np.ndarray]:
    """Every component, 0 to 1, for every candidate."""
    n = len(pool)
    cosine = meaning_similarity(seeker, pool)
    size = 1 - np.minimum(1, np.abs(pool.logpop - _log_population(seeker.population)) / SIZE_SPAN)
    seeker_kind = kind_class(seeker.kind, seeker.population)
    kind = np.where(
        (pool.kind < 0) | (seeker_kind < 0), NEUTRAL, 1 - np.abs(pool.kind - seeker_kind) / 2
    )
    linked = _linked(seeker, pool)
    return {
        "areas": _overlap(pool.areas, seeker.areas, n) / max(1, len(seeker.areas)),
        "meaning": np.clip((cosine - MEANING_FLOOR) / (MEANING_CEILING - MEANING_FLOOR), 0, 1),
        "topics": _overlap(pool.topics, seeker.topics, n) / max(1, len(seeker.topics)),
        "keywords": np.minimum(1, _overlap(pool.keywords, seeker.keywords, n) / KEYWORDS_FULL),
        "size": np.where(np.isnan(size), NEUTRAL, size),
        "kind": kind,
        "region": linked.astype(np.float64),
        "capacity": np.clip((pool.capacity - pool.load) / pool.capacity, 0, 1),
        "cosine": cosine,
    }


def _linked(seeker: Party, pool: Pool) -> np.ndarray:
    """Candidates whose region already works with the seeker's (a lookup table, not isin)."""
    table = np.zeros(len(pool.region_ids) + 1, dtype=bool)
    for region in seeker.linked_regions:
        if region in pool.region_ids:
            table[pool.region_ids[region]] = True
    return table[pool.region]


def constraints(seeker: Party, pool: Pool) -> tuple[np.ndarray, np.ndarray]:
    """(eligible, already_partners) masks: eligible excludes the seeker's own side and every
    exclusion in either direction."""
    n = len(pool)
    eligible = pool.is_swedish != seeker.offers
    eligible &= ~_rows(pool.excluders, seeker.key, n)
    for key in seeker.excluded:
        if key in pool.index:
            eligible[pool.index[key]] = False
    partners = _rows(pool.partnered, seeker.key, n)
    for key in seeker.partners:
        if key in pool.index:
            partners[pool.index[key]] = True
    return eligible, partners & eligible


def scores(
    seeker: Party, pool: Pool
) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """(score per candidate, components, eligible mask, already-partners mask)."""
    parts = components(seeker, pool)
    eligible, partners = constraints(seeker, pool)
    total = sum(WEIGHTS[name] * parts[name] for name in WEIGHTS)
    # Load counts the existing partnership with the seeker itself: it is not a lack of room.
    full = (pool.load >= pool.capacity) & ~partners
    total = np.where(full, total * FULL_PENALTY, total)
    return np.round(total, 6), parts, eligible, partners


def rank(seeker: Party, pool: Pool, *, top: int | None = 10) -> list[Suggestion]:
    """The best candidates for `seeker`, existing partners first, each with its reasons."""
    total, parts, eligible, partners = scores(seeker, pool)
    rows = np.flatnonzero(eligible)
    # Partners first (+2 lifts them above any score ≤ 1), then higher score, then code.
    key = total[rows] + 2.0 * partners[rows]
    if top is not None and len(rows) > top:
        # Keep every row at least as good as the top-th (ties included), then sort those.
        threshold = np.partition(key, len(key) - top)[len(key) - top]
        keep = key >= threshold
        rows, key = rows[keep], key[keep]
    order = rows[np.lexsort((pool.order[rows], -key))]
    if top is not None:
        order = order[:top]
    return [_suggestion(seeker, pool, int(i), total, parts, partners) for i in order]


def score_matrix(seekers: Sequence[Party], pool: Pool) -> np.ndarray:
    """Scores of every seeker against every candidate (ineligible pairs are -1)."""
    matrix = np.full((len(seekers), len(pool)), -1.0)
    for row, seeker in enumerate(seekers):
        total, _parts, eligible, _partners = scores(seeker, pool)
        matrix[row, eligible] = total[eligible]
    return matrix


def _suggestion(seeker, pool, i, total, parts, partners) -> Suggestion:
    candidate = pool.parties[i]
    values = {name: round(float(parts[name][i]), 4) for name in (*WEIGHTS, "cosine")}
    reasons = explain(seeker, candidate, values, already_partners=bool(partners[i]))
    return Suggestion(
        key=candidate.key,
        name=candidate.name,
        score=float(total[i]),
        already_partners=bool(partners[i]),
        proposable=not partners[i],
        reasons=tuple(reasons),
        components=values,
    )


def explain(
    seeker: Party, candidate: Party, values: dict[str, float], *, already_partners: bool
) -> list[Reason]:
    """The reasons behind one candidate's score, strongest evidence first."""
    reasons: list[Reason] = []
    if already_partners:
        reasons.append(Reason("already_partners", {"a": seeker.name, "b": candidate.name}))
    reasons += [Reason("shared_area", {"area": a}) for a in sorted(seeker.areas & candidate.areas)]
    offerer, needer = (candidate, seeker) if candidate.offers else (seeker, candidate)
    for topic in sorted(seeker.topics & candidate.topics):
        if needer.name:
            reasons.append(
                Reason(
                    "offer_meets_need",
                    {"offerer": offerer.name, "needer": needer.name, "topic": topic},
                )
            )
        else:  # a need given as free text has no municipality behind it
            reasons.append(Reason("offer_meets_text", {"offerer": offerer.name, "topic": topic}))
    if values["meaning"] >= 0.4:
        reasons.append(Reason("close_in_meaning", {"percent": round(values["cosine"] * 100)}))
    reasons += _size_reasons(seeker, candidate, values)
    if values["region"]:
        reasons.append(Reason("linked_regions", {"region": candidate.region_name}))
    reasons.append(_capacity_reason(candidate, already_partners))
    if not candidate.has_profile:
        reasons.append(Reason("no_profile", {"name": candidate.name}))
    return reasons


def _size_reasons(seeker: Party, candidate: Party, values: dict[str, float]) -> list[Reason]:
    unknown = [p.name for p in (seeker, candidate) if not p.population and p.key]
    if unknown:
        return [Reason("population_unknown", {"name": unknown[0]})]
    if values["size"] >= 0.7 and seeker.population:
        return [Reason("similar_size", {"a": seeker.population, "b": candidate.population})]
    if values["kind"] == 1.0:
        return [Reason("same_kind", {"kind": kind_class(candidate.kind, candidate.population)})]
    return []


def _capacity_reason(candidate: Party, already_partners: bool) -> Reason:
    free = candidate.capacity - candidate.load + (1 if already_partners else 0)
    if free > 0:
        return Reason("has_capacity", {"name": candidate.name, "free": free})
    return Reason(
        "at_capacity",
        {"name": candidate.name, "load": candidate.load, "capacity": candidate.capacity},
    )
