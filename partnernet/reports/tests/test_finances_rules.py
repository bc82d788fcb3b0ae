"""The pure rules of actual costs: project years, the ceiling per year or over the agreement,
reading files (separators, byte-order mark, headings in three languages)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from partnernet.grants import rules
from partnernet.reports import expenditure_import as rows
from partnernet.reports.conversion import proposed_rate, to_sek


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_project_years_count_from_the_agreements_start():
    start = date(2026, 3, 15)
    assert rows.project_year(start, date(2026, 3, 15)) == 1
    assert rows.project_year(start, date(2027, 3, 14)) == 1
    assert rows.project_year(start, date(2027, 3, 15)) == 2
    assert rows.project_year(start, date(2025, 1, 1)) == 1


def test_a_yearly_ceiling_applies_per_year_and_a_total_one_over_the_agreement():
    lines = [rules.Line("", True, Decimal(300), 1), rules.Line("", True, Decimal(300), 2)]
    assert rows.ceiling_problems(lines, ceiling=Decimal(400), per_year=True) == []
    over = rows.ceiling_problems(lines, ceiling=Decimal(400), per_year=False)
    assert len(over) == 1 and "above the ceiling" in over[0]
    lines.append(rules.Line("", True, Decimal(200), 2))
    yearly = rows.ceiling_problems(lines, ceiling=Decimal(400), per_year=True)
    assert len(yearly) == 1 and "year 2" in yearly[0]
    assert rows.ceiling_problems(lines, ceiling=None, per_year=False) == []


def test_conversion_half_up_and_the_proposed_rate():
    assert to_sek(Decimal("0.05"), Decimal("0.1")) == Decimal("0.01")  # 0.005 rounds up
    assert to_sek(Decimal("100.005"), Decimal(1)) == Decimal("100.01")
    rates = [(date(2026, 1, 1), Decimal(11)), (date(2026, 2, 1), Decimal(12))]
    assert proposed_rate("EUR", date(2026, 1, 31), rates) == (Decimal(11), date(2026, 1, 1))
    assert proposed_rate("EUR", date(2025, 12, 31), rates) is None
    assert proposed_rate("SEK", date(2025, 12, 31), []) == (Decimal(1), date(2025, 12, 31))


def test_csv_with_commas_without_bom_and_swedish_headings():
    data = (
        "Betalningsdatum,Beskrivning,Kostnadskategori,Valuta,Belopp\n"
        "2026-01-02,Buss,travel,SEK,10\n\n"
    )
    parsed = rows.read_file("u.csv", data.encode())
    assert parsed.errors == []
    assert parsed.rows == [
        (
            2,
            {
                "paid_on": "2026-01-02",
                "description": "Buss",
                "category": "travel",
                "currency": "SEK",
                "amount": "10",
            },
        )
    ]


def test_unknown_and_missing_headings_are_named_on_line_1():
    parsed = rows.read_file("u.csv", b"Paid on;Colour\n2026-01-02;red\n")
    lines = {line for line, _ in parsed.errors}
    assert lines == {1}
    assert any("Colour" in message for _, message in parsed.errors)
    assert any("Description" in message for _, message in parsed.errors)
