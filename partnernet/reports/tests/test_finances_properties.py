"""Properties of the one row validator and the conversion: whatever a person types, a row is
either saved with every rule holding (eligible, positive, within 10 digits, inside the period,
SEK at rate 1, the SEK amount the half-up rounding of amount × rate) or refused with reasons,
never both; amounts written with a decimal comma or point read the same."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from partnernet.reports import expenditure_import as rows
from partnernet.reports.conversion import to_sek

START, END = date(2026, 1, 1), date(2026, 12, 31)
CONTEXT = rows.RowContext(
    period_start=START,
    period_end=END,
    categories={
        "travel": rows.CategoryInfo(1, "Travel", True),
        "salaries": rows.CategoryInfo(
            2, "Salaries", False, "Salaries are paid by the municipality."
        ),
    },
    rates={"EUR": [(date(2025, 12, 30), Decimal("11.5"))]},
)

amounts = st.one_of(
    st.decimals(min_value=-100, max_value=10**11, places=2, allow_nan=False),
    st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False),
)
days = st.integers(min_value=-30, max_value=400).map(lambda n: START + timedelta(days=n))


@pytest.mark.reaches("saved", "refused")
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    amount=amounts,
    paid_on=days,
    category=st.sampled_from(["travel", "salaries", "Travel", "unknown"]),
    currency=st.sampled_from(["SEK", "EUR", "UAH", "XXX"]),
    rate=st.one_of(st.just(""), st.decimals(min_value=0, max_value=100, places=4).map(str)),
    comma=st.booleans(),
)
def test_a_row_is_saved_only_when_every_rule_holds(
    amount, paid_on, category, currency, rate, comma
):
    text = str(amount).replace(".", ",") if comma else str(amount)
    raw = {
        "paid_on": paid_on.isoformat(),
        "description": "x",
        "category": category,
        "currency": currency,
        "amount": text,
        "rate": rate,
    }
    row, problems = rows.check_row(raw, CONTEXT)
    assert (row is None) == bool(problems)
    if row is None:
        event("refused")
        return
    event("saved")
    assert CONTEXT.categories[category.casefold()].eligible
    assert row.amount == amount > 0 and len(str(int(row.amount))) <= 10
    assert START <= row.paid_on <= END
    assert row.currency in ("SEK", "EUR", "UAH")
    if row.currency == "UAH":  # no UAH rate is recorded: only the bank's rate given
        assert rate and row.rate == Decimal(rate)
    assert row.amount_sek > 0
    if row.currency == "SEK":
        assert row.rate == 1 and row.amount_sek == row.amount
    assert row.amount_sek == (row.amount * row.rate).quantize(Decimal("0.01"), ROUND_HALF_UP)


@pytest.mark.reaches("exact", "rounded")
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    amount=st.decimals(min_value=Decimal("0.01"), max_value=10**9, places=2),
    rate=st.decimals(min_value=Decimal("0.000001"), max_value=1000, places=6),
)
def test_conversion_rounds_half_up_to_oere(amount, rate):
    converted = to_sek(amount, rate)
    assert converted.as_tuple().exponent == -2
    assert abs(converted - amount * rate) <= Decimal("0.005")
    event("exact" if converted == amount * rate else "rounded")


@pytest.mark.reaches("grouped", "ungrouped")
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(whole=st.integers(0, 10**9), cents=st.integers(0, 99))
def test_comma_point_and_grouping_read_the_same(whole, cents):
    value = Decimal(f"{whole}.{cents:02d}")
    grouped = f"{whole:,}".replace(",", " ")
    assert rows.parse_decimal(f"{whole}.{cents:02d}") == value
    assert rows.parse_decimal(f"{whole},{cents:02d}") == value
    assert rows.parse_decimal(f"{grouped},{cents:02d}") == value
    assert rows.parse_decimal(f"{whole:,}.{cents:02d}") == value
    event("grouped" if whole >= 1000 else "ungrouped")
