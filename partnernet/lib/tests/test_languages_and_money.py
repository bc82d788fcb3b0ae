"""The shared rules owned by lib: languages (which text a reader gets) and money (how an
amount is written). Expected values are written by hand."""

from types import SimpleNamespace

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from partnernet.lib.languages import LANGUAGES, best_text, fallback_order, texts_of
from partnernet.lib.money import format_money

NBSP = "\xa0"


def text(source="sv", **values):
    fields = {f"summary_{c}": values.get(c, "") for c in ("sv", "en", "uk")}
    return SimpleNamespace(source_language=source, summary=values.get("plain", ""), **fields)


@pytest.mark.parametrize(
    ("obj", "reader", "expected"),
    [
        (text(sv="Hej", en="Hi", uk="Привіт"), "uk", ("Привіт", "uk")),
        (text(sv="Hej", en="Hi"), "uk", ("Hej", "sv")),  # no Ukrainian: the original
        (text("en", sv="Hej", en="Hi"), "uk", ("Hi", "en")),  # the original, not Swedish
        (text("uk", en="Hi"), "sv", ("Hi", "en")),  # original missing: sv, en, uk
        (text(), "en", ("", "sv")),
        (text("uk", plain="Старе"), "sv", ("Старе", "uk")),  # only the untranslated column
    ],
)
def test_the_reader_gets_their_language_else_the_original_else_any(obj, reader, expected):
    assert best_text(obj, "summary", reader) == expected


def test_the_fallback_order_names_each_language_once_and_ignores_unknown_codes():
    assert fallback_order("uk", "en") == ("uk", "en", "sv")
    assert fallback_order("xx", "zz") == ("sv", "en", "uk")
    assert set(LANGUAGES) == {"sv", "uk", "en"}
    assert texts_of(text(sv="a"), "summary") == {"sv": "a", "uk": "", "en": ""}


@pytest.mark.parametrize(
    ("amount", "language", "expected"),
    [
        (450000, "sv", f"450{NBSP}000{NBSP}SEK"),
        (450000, "uk", f"450{NBSP}000{NBSP}SEK"),
        (450000, "en", f"SEK{NBSP}450,000"),
        ("40000.4", "sv", f"40{NBSP}000{NBSP}SEK"),
        ("40000.5", "sv", f"40{NBSP}001{NBSP}SEK"),
        (-1200, "en", f"−SEK{NBSP}1,200"),
        (0, "sv", f"0{NBSP}SEK"),
        (None, "sv", ""),
        ("", "sv", ""),
        ("not a number", "sv", "not a number"),
    ],
)
def test_amounts_are_written_the_way_each_language_writes_them(amount, language, expected):
    assert format_money(amount, "SEK", language) == expected


def test_without_a_currency_only_the_digits_are_grouped():
    assert format_money(1234567, "", "sv") == f"1{NBSP}234{NBSP}567"
    assert format_money(1234567, "", "en") == "1,234,567"


@pytest.mark.reaches("negative", "not negative", "grouped", "under a thousand")
@given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(LANGUAGES))
def test_the_written_amount_reads_back_as_the_same_number(amount, language):
    written = format_money(amount, "SEK", language)
    event("negative" if amount < 0 else "not negative")
    event("grouped" if abs(amount) >= 1000 else "under a thousand")
    digits = "".join(c for c in written if c.isdigit())
    assert int(digits) == abs(amount)
    assert written.startswith("−") == (amount < 0)
    assert " " not in written  # never wraps between digits
