"""Words reduced to their base form, so inflections meet: Swedish and English by Snowball
stemming, Ukrainian by pymorphy3 lemmas (with the uk dictionaries).

    >>> keywords("vattenförsörjningen", "sv") == keywords("vattenförsörjning", "sv")
    True
    >>> keywords("освіти", "uk")
    ['osvita']

Keys are folded (`partnernet.lib.text.fold`), so a Ukrainian lemma is stored in Latin and the
same index column serves all three languages.
"""

import functools
import re

import snowballstemmer

from .text import fold
from .translit import has_cyrillic

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*", re.UNICODE)
STOPWORDS = {
    "sv": set(
        [
            "och",
            "att",
            "det",
            "som",
            "en",
            "ett",
            "i",
            "på",
            "av",
            "för",
            "med",
            "till",
            "är",
            "om",
            "de",
            "den",
            "har",
            "inte",
            "vi",
            "kan",
            "ska",
            "så",
            "vill",
            "både",
            "sin",
            "sina",
            "sitt",
            "hur",
            "man",
            "alla",
            "mer",
            "även",
            "där",
            "eller",
            "från",
            "efter",
            "vid",
            "under",
        ]
    ),
    "en": set(
        [
            "the",
            "and",
            "of",
            "to",
            "a",
            "in",
            "is",
            "for",
            "on",
            "with",
            "that",
            "as",
            "are",
            "be",
            "by",
            "it",
            "this",
            "an",
            "or",
            "from",
            "at",
            "their",
            "they",
            "will",
            "how",
            "more",
            "both",
            "all",
            "also",
            "can",
            "its",
        ]
    ),
    "uk": set(
        [
            "і",
            "й",
            "та",
            "в",
            "у",
            "на",
            "з",
            "із",
            "до",
            "за",
            "що",
            "як",
            "це",
            "не",
            "від",
            "для",
            "про",
            "по",
            "або",
            "їх",
            "ми",
            "ви",
            "вони",
            "а",
            "але",
            "щоб",
            "також",
            "його",
            "її",
            "усіх",
            "всіх",
        ]
    ),
}
_STEMMERS = {"sv": "swedish", "en": "english"}


@functools.cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(_STEMMERS[language])


@functools.cache
def _morph():
    try:
        import pymorphy3

        return pymorphy3.MorphAnalyzer(lang="uk")
    except Exception:  # without the dictionaries Ukrainian words are folded, not lemmatised
        return None


@functools.lru_cache(maxsize=50_000)
def lemma_uk(word: str) -> str:
    morph = _morph()
    return morph.parse(word)[0].normal_form if morph else word


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def keywords(text: str, language: str) -> list[str]:
    """Base forms of the content words of `text` (stop words dropped), folded to Latin."""
    result = []
    for word in words(text):
        if word in STOPWORDS.get(language, ()) or len(word) < 2:
            continue
        if has_cyrillic(word):
            base = lemma_uk(word.replace("’", "'").replace("ʼ", "'"))
        elif language in _STEMMERS:
            base = _stemmer(language).stemWord(word)
        else:
            base = word
        result.append(fold(base).replace(" ", ""))
    return [k for k in result if k]


def keywords_any_language(text: str) -> list[str]:
    """For a query whose language is unknown: every analysis, so it meets any indexed text."""
    keys: dict[str, None] = {}
    for language in ("sv", "en", "uk"):
        keys.update(dict.fromkeys(keywords(text, language)))
    return list(keys)
