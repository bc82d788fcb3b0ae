"""When a failed job is tried again: a pure function of the attempt number."""

from __future__ import annotations

from datetime import timedelta

FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
# 30 s, 1, 2, 4, 8, 16, 32 min, then hourly: about a day of tries before a job is given up.
MAX_ATTEMPTS = 30


def retry_delay(attempts: int) -> timedelta:
    """The wait before try number `attempts + 1` (`attempts` failed so far, at least 1)."""
    if attempts < 1:
        raise ValueError("a retry follows at least one failed attempt")
    exponent = min(attempts - 1, 20)  # 2**20 × 30 s is far beyond the cap: no overflow
    return min(FIRST_RETRY * (2**exponent), LONGEST_WAIT)


def gives_up(attempts: int) -> bool:
    return attempts >= MAX_ATTEMPTS
