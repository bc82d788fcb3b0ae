"""The pure rules of catalogue search: tokens, query groups, database query texts, the ranking
function, semantic thresholds and highlighting. Expected values are written by hand."""

import numpy as np
import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from partnernet.catalogue.search import (
    LEXICAL_WEIGHT,
    MAX_QUERY_WORDS,
    SEMANTIC_FLOOR,
    combined_score,
    fts5_query,
    highlight,
    join_tokens,
    name_tokens,
    query_groups,
    semantic_rows,
    semantic_threshold,
    spellings_from_search_text,
    text_hash,
    text_tokens,
    tsquery,
    word_forms,
)


@pytest.mark.parametrize(
    ("text", "language", "token"),
    [
        ("vattenförsörjningen", "sv", "vattenforsorjning"),  # the definite form meets the base
        ("skolorna", "sv", "skol"),
        ("schools", "en", "school"),
        ("освіти", "uk", "osvita"),  # a Ukrainian lemma, stored in Latin
        ("громади", "uk", "hromada"),
        ("Херсоні", "uk", "kherson"),  # the locative meets the name
    ],
)
def test_inflected_words_are_stored_by_their_base_form(text, language, token):
    assert token in text_tokens(text, language)


def test_a_documents_tokens_hold_the_folded_words_as_well():
    assert text_tokens("Skolorna i Umeå", "sv") >= {"skolorna", "skol", "umea"}
    assert text_tokens("", "sv") == set()


def test_a_query_word_matches_the_base_forms_of_every_language():
    assert {"school", "schools"} <= word_forms("schools")
    assert "osvita" in word_forms("освіти")
    assert word_forms("...") == set()


def test_name_tokens_hold_each_word_and_the_whole_name_in_both_spellings():
    tokens = name_tokens(["Kamianets-Podilskyi"])
    assert {"kamianets", "podilskyi", "kamianetspodilskyi"} <= tokens  # folded
    assert {"kamianec", "podilski", "kamianecpodilski"} <= tokens  # loose
    assert name_tokens(["Херсон"]) == {"kherson", "herson"}
    assert name_tokens(["", "  "]) == set()


def test_search_text_spellings_and_joined_tokens():
    assert spellings_from_search_text("|falun|faluna|") == ["falun", "faluna"]
    assert spellings_from_search_text("") == []
    assert join_tokens(["b", "a", "b"]) == "a b"


def test_stop_words_are_dropped_unless_the_query_is_only_stop_words():
    assert query_groups("the water and schools") == [
        ["vater", "wat", "water"],
        ["school", "schools", "sols"],
    ]
    assert query_groups("the and") == [["the"], ["and"]]  # better than finding nothing
    assert query_groups("och vatten") == query_groups("vatten")


def test_one_letter_words_and_punctuation_make_no_group():
    assert query_groups("a b") == []
    assert query_groups("!!! ???") == []
    assert query_groups("") == []


def test_at_most_eight_query_words_are_used_and_repeats_count_once():
    many = "water school bridge road health culture energy waste youth sport music forest"
    groups = query_groups(many)
    assert len(groups) == MAX_QUERY_WORDS == 8
    assert "waste" in groups[-1] and not any("youth" in g for g in groups)
    assert len(query_groups("water water water")) == 1


def test_database_query_texts_combine_alternatives_and_words():
    groups = [["a", "b"], ["c"]]
    assert tsquery(groups) == "(a | b) & (c)"
    assert fts5_query(groups) == '(("a" OR "b")) AND (("c"))'
    assert fts5_query(groups, names_only=True) == ('(names : ("a" OR "b")) AND (names : ("c"))')
    assert tsquery([]) == "" and fts5_query([]) == ""


@pytest.mark.reaches("one group", "several groups")
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_query_tokens_never_need_quoting(q):
    """Tokens go into to_tsquery and FTS5 unquoted (tsquery) or in double quotes (FTS5): they
    must be plain [a-z0-9]."""
    groups = query_groups(q)
    assume(groups)
    event("one group" if len(groups) == 1 else "several groups")
    for group in groups:
        assert group and all(t.isascii() and t.isalnum() and t == t.lower() for t in group)


SCORES = [
    # (lexical, cosine), best first
    (2, 0.70),
    (2, 0.60),
    (2, None),
    (1, 0.99),
    (1, 0.10),
    (0, 0.95),
    (0, 0.81),
    (0, None),
]


def test_names_beat_texts_which_beat_meaning_and_meaning_breaks_ties():
    scores = [combined_score(lexical=lex, cosine=cos) for lex, cos in SCORES]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == len(scores)


def test_no_cosine_can_lift_a_hit_over_the_next_lexical_level():
    assert LEXICAL_WEIGHT > 2  # cosines lie in [-1, 1]
    assert combined_score(lexical=1, cosine=-1.0) > combined_score(lexical=0, cosine=1.0)
    assert combined_score(lexical=0, cosine=None) == 0.0
    assert combined_score(lexical=2, cosine=0.5) == 6.5


@pytest.mark.parametrize(
    ("best", "threshold"),
    [(0.95, 0.93), (0.83, 0.81), (0.81, 0.80), (0.80, 0.80), (0.5, SEMANTIC_FLOOR)],
)
def test_the_semantic_threshold_follows_the_best_hit_but_never_below_the_floor(best, threshold):
    assert semantic_threshold(best) == pytest.approx(threshold)


def test_semantic_rows_are_those_near_the_best_above_the_floor():
    cosines = np.array([0.70, 0.86, 0.85, 0.83, 0.845, 0.79], dtype=np.float32)
    assert sorted(semantic_rows(cosines).tolist()) == [1, 2, 4]  # within 0.02 of 0.86
    assert semantic_rows(np.array([0.79, 0.5], dtype=np.float32)).tolist() == []
    assert semantic_rows(np.zeros(0, dtype=np.float32)).tolist() == []


def test_semantic_rows_keep_only_the_best_when_there_are_too_many():
    cosines = np.array([0.90, 0.91, 0.905, 0.909, 0.901], dtype=np.float32)
    assert semantic_rows(cosines, limit=2).tolist() == [1, 3]
    assert len(semantic_rows(np.full(300, 0.9, dtype=np.float32))) == 100


def test_text_hash_is_the_sha256_of_the_utf8_text():
    assert text_hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert text_hash("Umeå") != text_hash("Umea")


def test_matching_words_are_marked_in_any_inflection():
    groups = query_groups("skola")
    assert str(highlight("Skolorna i Umeå", groups, "sv")) == "<mark>Skolorna</mark> i Umeå"
    groups = query_groups("Kherson")
    assert str(highlight("Умео і Херсон", groups, "uk")) == "Умео і <mark>Херсон</mark>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "<b>Skolor</b> & vatten",
            "&lt;b&gt;<mark>Skolor</mark>&lt;/b&gt; &amp; vatten",
        ),
        (
            '<script>alert("skola")</script>',
            "&lt;script&gt;alert(&quot;<mark>skola</mark>&quot;)&lt;/script&gt;",
        ),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("O'Skola", "O&#x27;Skola"),  # one word with its apostrophe: no match, still escaped
    ],
)
def test_html_in_a_text_never_becomes_markup(text, expected):
    assert str(highlight(text, query_groups("skola"), "sv")) == expected


def test_without_a_query_the_text_is_only_escaped():
    assert str(highlight("<i>x</i>", [], "sv")) == "&lt;i&gt;x&lt;/i&gt;"
    assert str(highlight("", query_groups("skola"), "sv")) == ""


PIECES = st.lists(
    st.sampled_from(["skola", "Skolorna", "<b>", "</b>", "&", '"', "'", " ", "x", "å", "<mark>"]),
    max_size=12,
).map("".join)


def escaped_only(marked: str) -> bool:
    """No tag but <mark>, no bare ampersand."""
    rest = marked.replace("<mark>", "").replace("</mark>", "")
    for entity in ("&lt;", "&gt;", "&amp;", "&quot;", "&#x27;"):
        rest = rest.replace(entity, "")
    return not any(ch in rest for ch in "<>&")


@pytest.mark.reaches("marked", "not marked", each=20)
@settings(max_examples=200, deadline=None)
@given(PIECES)
def test_highlighted_text_holds_no_tag_but_mark(text):
    marked = str(highlight(text, query_groups("skola"), "sv"))
    event("marked" if "<mark>" in marked else "not marked")
    assert escaped_only(marked)
    # The visible text is the original one.
    plain = marked.replace("<mark>", "").replace("</mark>", "")
    assert plain == str(highlight(text, [], "sv"))
