"""Catalogue search meets people's words: compound and hyphenated words match their parts.
Pure (no database): a document's tokens and a query's groups, as the index stores and asks for
them; a query matches when every group meets a token. Expected results are written by hand."""

import pytest

from partnernet.catalogue import search

PLANNING_EN = "Gender-equal planning and digital participation of residents"
WATER_SV = "Säker vattenförsörjning och avfallshantering i en krisberedskap"
SCHOOL_SV = "Demokratisk skolutveckling för unga och gamla"


def tokens(text: str, language: str) -> set[str]:
    return search.text_tokens(text, language)


def finds(query: str, text: str, language: str) -> bool:
    document = tokens(text, language)
    groups = search.query_groups(query)
    return bool(groups) and all(set(group) & document for group in groups)


@pytest.mark.parametrize(
    "query",
    ["gender", "gender equal", "gender-equal", "Gender-Equal", "equal", "genderequal"],
)
def test_a_hyphenated_word_is_found_by_its_parts_and_as_a_whole(query):
    assert finds(query, PLANNING_EN, "en")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("vatten", WATER_SV),
        ("försörjning", WATER_SV),
        ("vattenförsörjning", WATER_SV),
        ("avfall", WATER_SV),
        ("hantering", WATER_SV),
        ("beredskap", WATER_SV),
        ("kris", WATER_SV),
        ("skola", SCHOOL_SV),
        ("utveckling", SCHOOL_SV),
    ],
)
def test_a_swedish_compound_is_found_by_its_parts(query, text):
    assert finds(query, text, "sv")


@pytest.mark.parametrize(
    ("query", "text", "language"),
    [
        ("gender budget", PLANNING_EN, "en"),  # every word must match: "budget" does not
        ("general", PLANNING_EN, "en"),  # no fuzzy prefix of "gender"
        ("equality-budget", PLANNING_EN, "en"),
        ("vattenfall", WATER_SV, "sv"),  # a different compound of "vatten"
        ("skog", WATER_SV, "sv"),
        ("planering", SCHOOL_SV, "sv"),
    ],
)
def test_unrelated_words_find_nothing(query, text, language):
    assert not finds(query, text, language)


def test_the_parts_are_highlighted_in_the_whole_word():
    marked = search.highlight(WATER_SV, search.query_groups("vatten"), "sv")
    assert "<mark>vattenförsörjning</mark>" in marked
    marked = search.highlight(PLANNING_EN, search.query_groups("gender"), "en")
    assert "<mark>Gender-equal</mark>" in marked
