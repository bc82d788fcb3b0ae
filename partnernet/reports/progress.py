"""Whether an indicator is on track: the one rule (pure).

An indicator moves from its baseline towards its target, up or down (fewer complaints is a
target below the baseline). It is *on track* when its latest actual value has covered at least
`share_elapsed` of the way from the baseline to the target (1.0: the whole way, for a target
whose period is over; 0.5 halfway through it), *behind* when it has covered less, and has
*no data* while there is no actual value or no target to measure it against. A target equal to
its baseline (keep a level) is on track when the actual is at least as good as the target
itself, read as "not below" since the direction is unknown.

    >>> indicator_status(baseline=10, target=20, actual=15, share_elapsed=0.5)
    'on_track'
    >>> indicator_status(baseline=10, target=4, actual=9)
    'behind'
    >>> indicator_status(baseline=10, target=20, actual=None)
    'no_data'
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

ON_TRACK, BEHIND, NO_DATA = "on_track", "behind", "no_data"
STATUSES = (ON_TRACK, BEHIND, NO_DATA)
STATUS_LABELS = {
    ON_TRACK: _("on track"),
    BEHIND: _("behind"),
    NO_DATA: _("no data"),
}


def _number(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def indicator_status(*, baseline, target, actual, share_elapsed: float = 1.0) -> str:
    """`"on_track"`, `"behind"` or `"no_data"` for one indicator (see the module's rule).
    A missing baseline counts as zero; `share_elapsed` is clamped to 0…1."""
    if actual is None or target is None:
        return NO_DATA
    start = _number(baseline) if baseline is not None else Decimal(0)
    goal, reached = _number(target), _number(actual)
    share = Decimal(str(min(max(float(share_elapsed), 0.0), 1.0)))
    way = goal - start
    if way == 0:
        return ON_TRACK if reached >= goal else BEHIND
    covered = (reached - start) / way  # direction-aware: a falling target has a negative way
    return ON_TRACK if covered >= share else BEHIND
