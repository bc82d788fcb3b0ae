"""The formula rule, with its expected outcomes written out by hand."""

import pytest

from partnernet.lib.cells import neutralise, neutralise_row, xlsx_row

DANGEROUS = [
    ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
]
HARMLESS = ["Falun", "Umeå – Херсон", "", " =not at the start", "1+1", "'already quoted", "x=1"]


@pytest.mark.parametrize(("text", "expected"), DANGEROUS)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(text, expected):
    assert neutralise(text) == expected


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_left_as_it_is(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [-5, -12.5, 0, None, 3])
def test_numbers_and_empty_cells_stay_what_they_are(value):
    assert neutralise(value) == value


def test_rows_are_neutralised_cell_by_cell():
    assert neutralise_row(["=1", -1, "ok", None]) == ["'=1", -1, "ok", None]


def test_xlsx_rows_also_lose_characters_xml_cannot_hold():
    # A control character in front must not hide a formula from the rule.
    assert xlsx_row(["\x01=1+1", "a\x0bb", "tab\tand\nnewline", 7]) == [
        "'=1+1",
        "ab",
        "tab\tand\nnewline",
        7,
    ]
