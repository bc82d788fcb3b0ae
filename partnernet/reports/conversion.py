"""Converting an amount paid in another currency to SEK: the one owner of the rounding. Pure.

An amount paid in UAH, EUR or USD becomes `amount × rate` SEK, where the rate is SEK per unit
(the Riksbank's rate of the day, or the bank's rate of the payment). The result is rounded to
whole öre (two decimals) half-up: 0.005 SEK rounds up to 0.01 SEK, never to the even neighbour,
so a receipt's figure and the report's figure agree with what a person computes by hand. SEK
has rate 1 and is never rounded beyond its öre.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

OERE = Decimal("0.01")
SEK = "SEK"


def to_sek(amount: Decimal, rate: Decimal) -> Decimal:
    """`amount` at `rate` SEK per unit, in SEK rounded half-up to öre."""
    return (amount * rate).quantize(OERE, rounding=ROUND_HALF_UP)


def proposed_rate(
    currency: str, paid_on: date, rates: list[tuple[date, Decimal]]
) -> tuple[Decimal, date] | None:
    """The rate to propose for a payment: 1 for SEK (dated the payment), else the latest of
    `rates` (the recorded rates of `currency`: (date, SEK per unit)) on or before `paid_on`;
    None when none is recorded that early."""
    if currency == SEK:
        return Decimal(1), paid_on
    earlier = [(on, rate) for on, rate in rates if on <= paid_on]
    if not earlier:
        return None
    on, rate = max(earlier)
    return rate, on
