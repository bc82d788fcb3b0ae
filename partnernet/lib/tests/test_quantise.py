"""`embeddings.quantise` and `quantised_scores` against float arithmetic written out here:
every component within half a step, dot products of unit vectors within 0.01 (the ranking's
scale), zero rows stay zero, and the matrix is a quarter of float32's size."""

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from partnernet.lib import embeddings

DIM = embeddings.DIMENSIONS


def unit(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.standard_normal((n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.reaches("a zero row", "no zero row")
@settings(max_examples=60, deadline=None)
@given(arrays(np.float32, (5, 16), elements=st.floats(-4, 4, width=32)), st.booleans())
def test_every_component_is_within_half_a_step(vectors, zero_one):
    if zero_one:
        vectors[2] = 0
    rows, scales = embeddings.quantise(vectors)
    assert rows.dtype == np.int8 and scales.dtype == np.float32
    step = np.abs(vectors).max(axis=1) / 127
    error = np.abs(rows * scales[:, None] - vectors)
    event("a zero row" if (step == 0).any() else "no zero row")
    assert (error <= step[:, None] / 2 + 1e-6).all()
    assert (rows[step == 0] == 0).all()


@pytest.mark.parametrize("seed", range(5))
def test_scores_of_unit_vectors_are_within_a_hundredth_of_the_float_product(seed):
    rng = np.random.default_rng(seed)
    matrix, query = unit(rng, 2000), unit(rng, 1)[0]
    rows, scales = embeddings.quantise(matrix)
    exact = matrix @ query
    scores = embeddings.quantised_scores(rows, scales, query)
    assert scores.dtype == np.float32 and scores.shape == exact.shape
    assert np.abs(scores - exact).max() < 0.01
    # the order of clearly different scores is kept
    far = np.abs(exact[:, None] - exact[None, :]) > 0.02
    assert ((scores[:, None] > scores[None, :]) == (exact[:, None] > exact[None, :]))[far].all()
    assert rows.nbytes * 4 == matrix.nbytes


def test_a_zero_row_scores_zero_and_an_empty_matrix_scores_nothing():
    rows, scales = embeddings.quantise(np.zeros((2, DIM), dtype=np.float32))
    query = unit(np.random.default_rng(1), 1)[0]
    assert embeddings.quantised_scores(rows, scales, query).tolist() == [0.0, 0.0]
    empty_rows, empty_scales = embeddings.quantise(np.zeros((0, DIM), dtype=np.float32))
    assert embeddings.quantised_scores(empty_rows, empty_scales, query).shape == (0,)


@pytest.mark.parametrize("kind", ["extreme", "random"])
def test_integer_products_are_exact(kind):
    """The products are exact: as integers computed here in int64 are, at the largest sums."""
    rng = np.random.default_rng(7)
    n = 4099
    if kind == "extreme":  # the largest sums there can be: every term 127 * 127 (or its negative)
        rows = np.full((n, DIM), 127, dtype=np.int8)
        rows[1::2] = -127
    else:
        rows = rng.integers(-127, 128, size=(n, DIM), dtype=np.int8)
    query = rng.integers(-127, 128, size=DIM).astype(np.float32)
    query[0] = 127  # the query's own scale is then exactly 1: its int8 form is itself
    if kind == "extreme":
        query[:] = 127
    exact = rows.astype(np.int64) @ query.astype(np.int64)
    scores = embeddings.quantised_scores(rows, np.ones(n, dtype=np.float32), query)
    assert np.abs(exact).max() < 2**24
    assert scores.astype(np.int64).tolist() == exact.tolist()
