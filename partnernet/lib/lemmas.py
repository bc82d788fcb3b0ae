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
import threading
from collections.abc import Sequence
from typing import Protocol

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


# snowballstemmer and pymorphy3 ship no type information: the parts of them used here.
class _Stemmer(Protocol):
    def stemWord(self, word: str) -> str: ...  # noqa: N802  (snowballstemmer's name)


class _Parse(Protocol):
    normal_form: str


class _Morph(Protocol):
    def parse(self, word: str) -> Sequence[_Parse]: ...


# Thread safety (`partnernet serve` runs several threads per worker): a Snowball stemmer keeps
# its working state (the word, cursors, flags) in the object, so two threads sharing one stem
# each other's words or fail with IndexError; each thread gets its own stemmers (cheap to make).
# pymorphy3's analyser is large (its dictionaries) and not documented as thread-safe, so there is
# one, made once, and used under a lock; lemmas are cached, so the lock is rarely taken.
_local = threading.local()
_morph_lock = threading.Lock()
_morph_loaded = False
_morph_instance: _Morph | None = None


def _stemmer(language: str) -> _Stemmer:
    stemmers: dict[str, _Stemmer] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(_STEMMERS[language])
    return stemmers[language]


def _morph() -> _Morph | None:
    """The one Ukrainian analyser; call only while holding `_morph_lock`."""
    global _morph_instance, _morph_loaded
    if not _morph_loaded:
        try:
            import pymorphy3

            _morph_instance = pymorphy3.MorphAnalyzer(lang="uk")
        except Exception:  # without the dictionaries Ukrainian words are folded, not lemmatised
            _morph_instance = None
        _morph_loaded = True
    return _morph_instance


@functools.lru_cache(maxsize=50_000)
def lemma_uk(word: str) -> str:
    with _morph_lock:
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
