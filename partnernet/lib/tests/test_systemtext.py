"""System texts: stored as a key with parameters, read in the reader's language (issue 12.4)."""

import json

from django.utils import translation

from partnernet.lib.money import format_number
from partnernet.lib.systemtext import is_system_text, parse, recognise, render, system_text

SEED = "Seed network: from ICLD's announcement of the six granted partnerships"
ACCEPTED = "Both sides accepted the match %(a)s – %(b)s"


# What is not a system text stays as written ----------------------------------------------------
def test_a_persons_own_text_is_shown_as_written():
    for text in ("", "Matched by ICLD", '{"note": 1}', "{not json", '{"system_text": 12}'):
        assert render(text, "uk") == text and not is_system_text(text)
    assert render(None) == ""


def test_a_broken_stored_text_is_not_taken_for_a_system_text():
    assert parse('{"system_text": "x", "params": [1, 2]}') == ("x", {})
    assert parse('{"system_text"') is None


def test_parameters_that_do_not_fit_the_key_show_the_key_rather_than_failing():
    stored = system_text(ACCEPTED, a="Falun")  # b is missing
    assert render(stored, "sv") == ACCEPTED


# Rendered in each reader's language ------------------------------------------------------------
def test_a_stored_key_is_read_in_each_language():
    stored = system_text(SEED)
    assert json.loads(stored) == {"system_text": SEED}
    assert render(stored, "en") == SEED
    assert render(stored, "sv").startswith("Grundnätverket")
    assert render(stored, "uk").startswith("Початкова мережа")


def test_parameters_are_filled_in_and_nested_texts_rendered():
    stored = system_text(ACCEPTED, a="Falun", b="Kolomyia")
    assert render(stored, "en") == "Both sides accepted the match Falun – Kolomyia"
    assert "Falun" in render(stored, "uk") and "Kolomyia" in render(stored, "uk")
    outer = system_text("Application “%(title)s”", title=system_text("Matched by ICLD"))
    assert render(outer, "sv") == "Ansökan ”Matchad av ICLD”"


def test_without_a_language_the_active_one_is_used():
    with translation.override("uk"):
        assert render(system_text("Matched by ICLD")) == "Пару утворено ICLD"


# Texts stored translated before are recognised (the data migrations) --------------------------
def test_old_texts_in_any_language_are_recognised_with_their_parameters():
    keys = [SEED, ACCEPTED, "Interest profile registered"]
    languages = ("sv", "uk", "en")
    assert recognise(SEED, keys, languages) == system_text(SEED)
    assert recognise("Intresseprofil registrerad", keys, languages) == system_text(
        "Interest profile registered"
    )
    with translation.override("sv"):
        swedish = translation.gettext(ACCEPTED) % {"a": "Umeå", "b": "Cherson"}
    assert recognise(swedish, keys, languages) == system_text(ACCEPTED, a="Umeå", b="Cherson")
    assert recognise("Granted because of a good plan", keys, languages) is None
    assert recognise(system_text(SEED), keys, languages) is None  # already stored as a key


# Numbers in the locale's format -----------------------------------------------------------------
def test_numbers_are_grouped_the_readers_way():
    assert format_number(5_000_000, "sv") == "5\xa0000\xa0000"
    assert format_number(5_000_000, "uk") == "5\xa0000\xa0000"
    assert format_number(5_000_000, "en") == "5,000,000"
    assert format_number(-1200, "sv") == "−1\xa0200"
    assert format_number(None) == "" and format_number("n/a") == "n/a"
