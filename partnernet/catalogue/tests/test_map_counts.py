"""`mapdata.map_counts` against a count written out by hand in plain Python, over random
tables (pure: no database): points per municipality, lines per pair, most partnerships first
then by the codes, private partners and unplaced municipalities left out, the limit kept."""

import random
from collections import Counter

import numpy as np
import pytest

from partnernet.catalogue import mapdata


def table(rng: random.Random, rows: int, municipalities: int) -> mapdata.MapTable:
    codes = tuple(sorted(f"M{rng.randrange(10**6):06d}" for _ in range(municipalities)))
    codes = tuple(dict.fromkeys(codes))
    n = len(codes)
    lat = np.array([np.nan if rng.random() < 0.1 else rng.uniform(45, 68) for _ in range(n)])
    ids = np.array(sorted(rng.sample(range(1, rows * 3), rows)), dtype=np.int64)
    swedish = np.array([rng.randrange(n) for _ in range(rows)], dtype=np.int64)
    partner = np.array(
        [-1 if rng.random() < 0.15 else rng.randrange(n) for _ in range(rows)], dtype=np.int64
    )
    columns = type(
        "Columns",
        (),
        {
            "ids": ids,
            "swedish": swedish,
            "partner": partner,
            "slugs": np.array([f"p{i}" for i in ids.tolist()], dtype=np.dtypes.StringDType()),
            "municipalities": list(codes),
        },
    )
    return mapdata.table_of(("v",), columns, [{} for _ in codes], lat, lat * 0 + 15.0)


def by_hand(t: mapdata.MapTable, ids: list[int], limit: int):
    rows = [list(t.ids).index(i) for i in set(ids) if i in set(t.ids.tolist())]
    placed = {i for i in range(len(t.codes)) if not np.isnan(t.lat[i])}
    points: Counter = Counter()
    pairs: Counter = Counter()
    one: dict = {}
    for r in rows:
        s, p = int(t.swedish[r]), int(t.partner[r])
        points[s] += 1
        if p >= 0:
            points[p] += 1
            if s in placed and p in placed:
                pairs[(s, p)] += 1
                one[(s, p)] = r
    shown = sorted((i, c) for i, c in points.items() if i in placed)
    shown.sort(key=lambda x: t.codes[x[0]])
    ordered = sorted(pairs, key=lambda k: (-pairs[k], t.codes[k[0]], t.codes[k[1]]))
    lines = [(a, b, pairs[(a, b)]) for a, b in ordered[:limit]]
    singles = {k: one[k] for k in ordered[:limit] if pairs[k] == 1}
    return shown, lines, len(pairs), singles


@pytest.mark.parametrize("seed", range(12))
def test_counts_match_a_count_by_hand(seed):
    rng = random.Random(seed)
    t = table(rng, rows=rng.randrange(1, 400), municipalities=rng.randrange(2, 40))
    ids = rng.sample(t.ids.tolist(), rng.randrange(0, len(t.ids) + 1))
    ids += [-5, 10**9]  # not in the table: ignored
    limit = rng.choice([1, 3, 10, 1000])
    counted = mapdata.map_counts(t, ids, limit=limit)
    shown, lines, pairs, singles = by_hand(t, ids, limit)
    assert counted.points == shown
    assert [(a, b, c) for a, b, c, _ in counted.lines] == lines
    assert counted.pairs == pairs
    for a, b, c, position in counted.lines:
        if c == 1:
            assert position == singles[(a, b)]
    assert len(counted.lines) <= limit


def test_nothing_asked_counts_nothing():
    t = table(random.Random(1), rows=50, municipalities=8)
    counted = mapdata.map_counts(t, [])
    assert counted.points == [] and counted.lines == [] and counted.pairs == 0


@pytest.mark.parametrize("seed", range(6))
def test_a_row_mask_counts_as_the_ids_of_its_rows_counted_by_hand(seed):
    rng = random.Random(100 + seed)
    t = table(rng, rows=rng.randrange(1, 300), municipalities=rng.randrange(2, 30))
    selected = np.array([rng.random() < 0.6 for _ in t.ids], dtype=bool)
    counted = mapdata.map_counts_of_rows(t, selected, limit=5)
    shown, lines, pairs, _ = by_hand(t, t.ids[selected].tolist(), 5)
    assert counted.points == shown
    assert [(a, b, c) for a, b, c, _ in counted.lines] == lines
    assert counted.pairs == pairs


def test_a_mask_of_another_table_is_refused():
    t = table(random.Random(2), rows=20, municipalities=5)
    with pytest.raises(ValueError):
        mapdata.map_counts_of_rows(t, np.ones(21, dtype=bool))
