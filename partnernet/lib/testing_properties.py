"""Property tests must not pass vacuously (issue 11).

A Hypothesis test whose strategy never produces the interesting inputs, or whose `assume(...)`
refuses nearly all of them, passes while checking nothing. This pytest plugin (listed in the root
conftest's `pytest_plugins`) watches every case Hypothesis runs and fails the test when

- no case passed at all (every input refused), or
- the test is marked `@pytest.mark.reaches("event a", "event b", ...)` and one of those
  `hypothesis.event(...)` strings occurred in fewer passing cases than its `each=N` (default 1),
  or fewer cases passed than its `passed=N` (default 1).

`event("kind", "x")` counts both as "kind" and as "kind: x". Under the derandomized "ci"
profile the same cases run every time, so a strategy that misses an outcome misses it every run.
"""

from collections import Counter
from collections.abc import Generator

import pytest
from hypothesis.internal import observability
from hypothesis.internal.observability import (
    Observation,
    add_observability_callback,
    remove_observability_callback,
)

MARKER = "reaches"  # registered in pyproject's pytest markers

# Only the events are read: tracing the lines each case ran (Hypothesis's default once a callback
# is registered, supported as a switch) made property tests several times slower on Python 3.11.
observability.OBSERVABILITY_COLLECT_COVERAGE = False


class CaseEvents:
    """The events of the passing cases of one test, and how many cases passed."""

    def __init__(self) -> None:
        self.passed = 0
        self.gave_up = 0
        self.events: Counter[str] = Counter()

    def __call__(self, observation: Observation) -> None:
        if observation.type != "test_case":
            return
        if observation.status == "gave_up":
            self.gave_up += 1
        if observation.status != "passed":
            return
        self.passed += 1
        for key, value in observation.features.items():
            self.events[key] += 1
            if value not in ("", None):
                self.events[f"{key}: {value}"] += 1


def _watched(item: pytest.Item) -> bool:
    """A Hypothesis test, or a test marked `reaches` (one running a property inside it)."""
    is_property = getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
    return bool(is_property or item.get_closest_marker(MARKER))


def missing_events(item: pytest.Item, seen: CaseEvents) -> str | None:
    """Why the run was vacuous, or None when it was not."""
    marker = item.get_closest_marker(MARKER)
    wanted: tuple[str, ...] = marker.args if marker else ()
    enough: int = marker.kwargs.get("passed", 1) if marker else 1
    if seen.passed < enough:
        return f"{seen.passed} Hypothesis cases passed, {enough} needed ({seen.gave_up} refused)"
    each: int = marker.kwargs.get("each", 1) if marker else 1
    missing = [name for name in wanted if seen.events[name] < each]
    if not missing:
        return None
    counts = ", ".join(f"{name!r}: {count}" for name, count in sorted(seen.events.items()))
    return (
        f"never reached {missing} (in {each} cases each) in {seen.passed} passing cases "
        f"({seen.gave_up} refused); events seen: {{{counts}}}"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    if not _watched(item):  # observability stays off for every other test
        return (yield)
    seen = CaseEvents()
    add_observability_callback(seen)
    try:
        result = yield  # a test that already failed keeps its own error
    finally:
        remove_observability_callback(seen)
    problem = missing_events(item, seen)
    if problem:
        pytest.fail(f"vacuous property test: {problem}", pytrace=False)
    return result
