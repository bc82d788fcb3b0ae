"""Matchmaking: one ranking over every hromada, the whole Swedish × Ukrainian score matrix, and
one ranking over 100 000 generated candidates (goals: 50 ms, 2 s, 200 ms)."""

import time

import numpy as np

from bench.util import median, metric, timings_ms
from partnernet.lib.embeddings import DIMENSIONS
from partnernet.matchmaking import candidates
from partnernet.matchmaking.scoring import Party, Pool, rank, score_matrix
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Network

AREAS = [
    "technical-services-infrastructure",
    "education",
    "urban-planning",
    "inclusive-leadership-governance",
]
TOPICS = ["water", "waste", "crisis", "education", "urban_planning", "digital", "youth", "energy"]


def generated_candidates(n: int, seed: int = 6) -> list[Party]:
    """n Ukrainian-side candidates, every one with a profile (the worst case): random unit
    vectors, areas, topics, keywords, populations (a third unknown, as for hromadas)."""
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((n, DIMENSIONS)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    kinds = ["urban", "settlement", "rural"]
    return [
        Party(
            key=f"GEN{i:06d}",
            name=f"Generated {i}",
            country="UA",
            kind=kinds[i % 3],
            region=f"R{i % 24}",
            population=None if i % 3 == 0 else int(rng.integers(2_000, 700_000)),
            has_profile=True,
            areas=frozenset({AREAS[i % 4]}),
            topics=frozenset({TOPICS[i % 8], TOPICS[(i * 7) % 8]}),
            keywords=frozenset({f"k{i % 500}", f"k{(i * 13) % 500}"}),
            embedding=vectors[i],
            capacity=1 + i % 2,
            load=i % 3,
        )
        for i in range(n)
    ]


def run(ctx: dict) -> dict:
    network = Network.objects.get(slug="democratic-resilience")
    falun = Municipality.objects.get(code="2080")
    hromadas = candidates.pool(network=network, swedish=False)
    seeker = candidates.parties(network=network, ids=[falun.id])[0]
    one = median(timings_ms(lambda: rank(seeker, hromadas, top=10), 30))
    swedish = candidates.parties(network=network, swedish=True)
    started = time.perf_counter()
    matrix = score_matrix(swedish, hromadas)
    matrix_s = time.perf_counter() - started
    end_to_end = median(
        timings_ms(lambda: candidates.suggest(network=network, municipality=falun), 5)
    )
    big = Pool(generated_candidates(100_000))
    big_ms = median(timings_ms(lambda: rank(seeker, big, top=10), 10))
    return {
        "matchmaking_rank_1469_hromadas_ms": metric(one, "ms", goal=50),
        "matchmaking_matrix_290x1469_s": metric(matrix_s, "s", goal=2),
        "matchmaking_matrix_cells": metric(matrix.size, "cells", lower_is_better=False),
        "matchmaking_suggest_with_db_reads_ms": metric(end_to_end, "ms"),
        "matchmaking_rank_100k_generated_ms": metric(big_ms, "ms", goal=200),
    }
