"""`make bench` can fail (issue 16): a figure that misses its goal makes the run exit non-zero,
the goal is printed beside the value, DATABASE_URL picks the bench database, and figures at two
dataset sizes are compared (queries per request equal, cost ratio < 2). No database needed."""

import pytest

from bench.__main__ import bench_database_url, bench_size
from bench.bench_scale import compare_sizes
from bench.goals import exit_code, metric, missed, table, verdict


def test_a_missed_goal_makes_the_run_fail():
    results = {
        "fast_ms": metric(12, "ms", goal=50),
        "slow_ms": metric(51, "ms", goal=50),
    }
    assert missed(results) == ["slow_ms"]
    assert exit_code(results, []) == 1


def test_a_failed_bench_module_makes_the_run_fail_even_with_every_goal_met():
    assert exit_code({"fast_ms": metric(1, "ms", goal=50)}, ["bench_scale"]) == 1


def test_higher_is_better_and_exact_goals():
    assert verdict(metric(0.49, "ratio", False, goal=0.5)) == "MISSED"
    assert verdict(metric(0.5, "ratio", False, goal=0.5)) == "ok"
    assert verdict(metric(9, "queries", goal=8, exact=True)) == "MISSED"
    assert verdict(metric(7, "queries", goal=8, exact=True)) == "MISSED"
    assert verdict(metric(8, "queries", goal=8, exact=True)) == "ok"
    assert verdict({"value": float("nan"), "unit": "MB", "goal": 400.0}) == "MISSED"


def test_figures_without_a_goal_never_fail_and_say_nothing():
    results = {"rps": metric(1234, "req/s", False), "edge_ms": metric(50, "ms", goal=50)}
    assert missed(results) == []
    assert exit_code(results, []) == 0
    lines = table(results)
    assert lines[1].split() == ["rps", "1234.000", "req/s"]
    assert lines[2].split() == ["edge_ms", "50.000", "ms", "≤", "50", "ok"]


def test_the_table_shows_the_goal_and_missed_beside_the_value():
    line = table({"api_ms": metric(31.5, "ms", goal=30)})[1]
    assert line.split() == ["api_ms", "31.500", "ms", "≤", "30", "MISSED"]


def test_database_url_wins_over_the_bench_default(monkeypatch):
    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/other")
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chosen")
    assert bench_database_url() == "postgres://postgres@127.0.0.1:5432/chosen"
    monkeypatch.delenv("DATABASE_URL")
    assert bench_database_url() == "postgres://postgres@127.0.0.1:5432/other"


@pytest.mark.parametrize(("raw", "size"), [(None, 10_000), ("", 10_000), ("100000", 100_000)])
def test_bench_size_defaults_to_ten_thousand(monkeypatch, raw, size):
    if raw is None:
        monkeypatch.delenv("BENCH_SIZE", raising=False)
    else:
        monkeypatch.setenv("BENCH_SIZE", raw)
    assert bench_size() == size


def test_a_second_size_is_compared_with_the_first():
    small = {
        "scale_api_list_uncached_p95_ms": metric(10, "ms", goal=30),
        "scale_api_list_queries": metric(4, "queries"),
        "scale_map_page_uncached_p95_ms": metric(40, "ms", goal=100),
        "scale_map_page_queries": metric(3, "queries"),
    }
    big = {
        "scale_api_list_uncached_p95_ms": metric(25, "ms", goal=30),  # 2.5 × the small size
        "scale_api_list_queries": metric(4, "queries"),
        "scale_map_page_uncached_p95_ms": metric(60, "ms", goal=100),  # 1.5 ×
        "scale_map_page_queries": metric(5, "queries"),  # grew with the data
    }
    compared = compare_sizes(big, 100_000, {"10000": small})
    assert missed(compared) == [
        "scale_api_list_uncached_p95_ratio_100000_to_10000",
        "scale_map_page_queries",
    ]
    assert compared["scale_api_list_uncached_p95_ratio_100000_to_10000"]["value"] == 2.5
    assert compared["scale_map_page_uncached_p95_ratio_100000_to_10000"]["value"] == 1.5
    assert compare_sizes(big, 100_000, {}) == {}
    # From the larger size back to the smaller one: queries compared, no cost ratio.
    back = compare_sizes(small, 10_000, {"100000": big})
    assert sorted(back) == ["scale_api_list_queries", "scale_map_page_queries"]
