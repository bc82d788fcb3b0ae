"""The status rule of an indicator (`reports.progress.indicator_status`): examples in both
directions, then properties over any baseline, target, actual and elapsed share."""

from decimal import Decimal

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from partnernet.reports.progress import STATUS_LABELS, indicator_status

D = Decimal


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "share", "want"),
    [
        (D(10), D(20), D(20), 1.0, "on_track"),  # reached
        (D(10), D(20), D(25), 1.0, "on_track"),  # beyond
        (D(10), D(20), D(19), 1.0, "behind"),
        (D(10), D(20), D(15), 0.5, "on_track"),  # half the way, half the time
        (D(10), D(20), D(14), 0.5, "behind"),
        (D(10), D(20), D(5), 0.0, "behind"),  # the wrong way
        (D(30), D(10), D(10), 1.0, "on_track"),  # lower is better
        (D(30), D(10), D(12), 1.0, "behind"),
        (D(30), D(10), D(20), 0.5, "on_track"),
        (D(30), D(10), D(35), 0.1, "behind"),
        (D(5), D(5), D(5), 1.0, "on_track"),  # keep the level
        (D(5), D(5), D(6), 1.0, "behind"),
        (D(5), None, D(6), 1.0, "no_data"),
        (D(5), D(8), None, 1.0, "no_data"),
    ],
)
def test_examples(baseline, target, actual, share, want):
    got = indicator_status(baseline=baseline, target=target, actual=actual, share_elapsed=share)
    assert got == want


def test_every_status_has_a_label():
    assert set(STATUS_LABELS) == {"on_track", "behind", "no_data"}
    assert all(str(label) for label in STATUS_LABELS.values())


values = st.integers(min_value=-(10**8), max_value=10**8).map(lambda n: Decimal(n) / 100)
maybe = st.one_of(st.none(), values)
shares = st.floats(min_value=0, max_value=1, allow_nan=False)


@pytest.mark.reaches("on_track", "behind", "no_data")
@given(baseline=values, target=maybe, actual=maybe, share=shares)
def test_the_status_follows_the_share_of_the_way_covered(baseline, target, actual, share):
    status = indicator_status(baseline=baseline, target=target, actual=actual, share_elapsed=share)
    event(status)
    assert status in STATUS_LABELS
    if target is None or actual is None:
        assert status == "no_data"
        return
    assert status != "no_data"
    # Mirrored (lower is better becomes higher is better): the same status.
    mirrored = indicator_status(
        baseline=-baseline, target=-target, actual=-actual, share_elapsed=share
    )
    assert mirrored == status
    if target == baseline:
        assert status == ("on_track" if actual == target else "behind")
        return
    # Reaching the target is on track whatever the time; standing still with time passed and
    # the way ahead is behind.
    assert (
        indicator_status(baseline=baseline, target=target, actual=target, share_elapsed=share)
        == "on_track"
    )
    if share > 0:
        assert (
            indicator_status(baseline=baseline, target=target, actual=baseline, share_elapsed=share)
            == "behind"
        )
    # The reference: the share of the way covered against the share of time passed.
    covered = (actual - baseline) / (target - baseline)
    assert (status == "on_track") == (covered >= Decimal(str(share)))
    # Further along the way never makes it worse.
    further = actual + (target - baseline)
    if status == "on_track":
        assert (
            indicator_status(baseline=baseline, target=target, actual=further, share_elapsed=share)
            == "on_track"
        )
