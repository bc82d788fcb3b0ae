"""How far an indicator has come: one pure rule, shared by a report's results page and the
programme dashboard.

The rule (`indicator_status`):

- No actual value, or no target for the year: **no data**.
- The way to go is `target − baseline`. A target below the baseline means lower is better
  (fewer complaints, shorter waiting times): the way is then negative, and the progress made is
  measured the same way, so the rule reads alike in both directions.
- Progress is the share of the way covered: `(actual − baseline) / (target − baseline)`.
  It is **on track** when that share is at least `share_elapsed`, the share of the target's
  period that has passed (1.0 at its end: the target itself must be reached), and **behind**
  otherwise. Going past the target counts as on track; going the wrong way is behind.
- A target equal to the baseline means "keep the level" (no direction to be better in): on
  track when the actual is exactly at it, behind otherwise.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

ON_TRACK, BEHIND, NO_DATA = "on_track", "behind", "no_data"
STATUSES = (ON_TRACK, BEHIND, NO_DATA)

STATUS_LABELS = {
    ON_TRACK: _("on track"),
    BEHIND: _("behind"),
    NO_DATA: _("no data"),
}


def indicator_status(
    *,
    baseline: Decimal,
    target: Decimal | None,
    actual: Decimal | None,
    share_elapsed: float = 1.0,
) -> str:
    """`"on_track"`, `"behind"` or `"no_data"` for an indicator (see the module's rule)."""
    if actual is None or target is None:
        return NO_DATA
    way = target - baseline
    if way == 0:
        return ON_TRACK if actual == target else BEHIND
    share = min(max(Decimal(str(share_elapsed)), Decimal(0)), Decimal(1))
    covered = (actual - baseline) / way
    return ON_TRACK if covered >= share else BEHIND
