"""Base forms of words in the three languages: inflections of one word meet, stop words are
dropped, keys are folded to Latin. Expected base forms are written by hand."""

import threading

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from partnernet.lib.lemmas import STOPWORDS, keywords, keywords_any_language, lemma_uk, words


@pytest.mark.parametrize(
    ("forms", "language"),
    [
        (["kommun", "kommuner", "kommunerna", "kommunens"], "sv"),
        (["utbildning", "utbildningen", "utbildningar"], "sv"),
        (["vattenförsörjning", "vattenförsörjningen"], "sv"),
        (["school", "schools"], "en"),
        (["city", "cities"], "en"),
        (["plan", "planning", "planned"], "en"),
        (["громада", "громади", "громадою", "громадами"], "uk"),
        (["освіта", "освіти", "освіті"], "uk"),
        (["місто", "міста", "містах"], "uk"),
    ],
)
def test_inflections_of_a_word_share_one_base_form(forms, language):
    bases = {tuple(keywords(form, language)) for form in forms}
    assert len(bases) == 1, bases


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("освіти", "uk", ["osvita"]),
        ("громадами", "uk", ["hromada"]),
        ("містах", "uk", ["misto"]),
        ("Skolorna och kommunerna", "sv", ["skol", "kommun"]),
        ("the schools and the cities", "en", ["school", "citi"]),
        ("Umeå", "sv", ["umea"]),  # a name keeps its letters, folded
        ("a i", "sv", []),  # one letter: no key
        ("och att det", "sv", []),  # only stop words
        ("", "en", []),
    ],
)
def test_keywords(text, language, expected):
    assert keywords(text, language) == expected


def test_stop_words_are_dropped_only_in_their_own_language():
    assert keywords("och", "sv") == []
    assert keywords("och", "en") == ["och"]
    assert keywords("the", "sv") == ["the"]
    assert keywords("та", "uk") == []


def test_cyrillic_words_get_ukrainian_lemmas_whatever_the_language_asked():
    assert keywords("освіти", "sv") == keywords("освіти", "uk") == ["osvita"]


def test_a_language_without_a_stemmer_keeps_the_folded_words():
    assert keywords("Skolorna Umeå", "de") == ["skolorna", "umea"]


def test_any_language_gives_the_analyses_of_all_three_once():
    keys = keywords_any_language("schools skolorna")
    assert "school" in keys and "skol" in keys
    assert len(keys) == len(set(keys))
    assert keywords_any_language("") == []


def test_words_keep_apostrophes_and_hyphens_inside_a_word_and_drop_digits():
    assert words("Кам'янець-Подільський, 2024: e-mail’s") == [
        "кам'янець-подільський",
        "e-mail’s",
    ]
    assert words("a1b") == ["a", "b"]
    assert words("'quoted'") == ["quoted"]


def test_every_stop_word_list_is_lower_case():
    for language, stopwords in STOPWORDS.items():
        assert all(w == w.lower() for w in stopwords), language
    assert set(STOPWORDS) == {"sv", "en", "uk"}


def test_the_ukrainian_analyser_reads_typographic_apostrophes_like_plain_ones():
    assert keywords("м’ясо", "uk") == keywords("м'ясо", "uk") == keywords("мʼясо", "uk")


def test_stemming_from_many_threads_gives_the_same_keys():
    """Snowball stemmers keep state: each thread has its own, so none sees another's word."""
    samples = {
        "kommunerna": ["kommun"],
        "utbildningen": ["utbildning"],
        "vattenförsörjningen": ["vattenforsorjning"],
    }
    failures: list[str] = []

    def work() -> None:
        for _ in range(200):
            for word, expected in samples.items():
                if keywords(word, "sv") != expected:
                    failures.append(word)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_lemmas_are_cached():
    lemma_uk.cache_clear()
    lemma_uk("громадами")
    lemma_uk("громадами")
    assert lemma_uk.cache_info().hits >= 1


@pytest.mark.reaches("some keys", "no keys")
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["sv", "en", "uk"]))
def test_keys_are_plain_ascii_without_spaces(text, language):
    keys = keywords(text, language)
    event("some keys" if keys else "no keys")
    assert all(k and k.isascii() and " " not in k and k == k.lower() for k in keys)
    assert len(keys) <= len(words(text))
