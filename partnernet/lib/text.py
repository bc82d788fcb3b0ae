"""Text normalisation shared by every search: identical in Python for SQLite and PostgreSQL.

`fold` lowers case, transliterates Cyrillic (2010 national system) and strips diacritics,
so Херсон, Kherson and KHERSON meet; `loose` also merges spellings that differ between
transliteration traditions (kh/h/ch, y/i/j, doubled letters), so Kolomyja meets Kolomyia.
"""

import re
import unicodedata

from .translit import translit

_NON_WORD = re.compile(r"[^0-9a-z]+")
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l"})
_LOOSE_RULES = [
    (re.compile(r"shch|sjtj"), "sc"),
    (re.compile(r"kh|ch|h"), "h"),
    (re.compile(r"zh|zj"), "z"),
    (re.compile(r"sh|sj"), "s"),
    (re.compile(r"tj|tsch|tch"), "c"),
    (re.compile(r"ts|tz"), "c"),
    (re.compile(r"[yij]+"), "i"),
    (re.compile(r"w"), "v"),
    (re.compile(r"ck|q"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"(.)\1+"), r"\1"),
]


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower-case, transliterated, diacritic-free words separated by single spaces."""
    latin = translit(text.lower()).translate(_SPECIAL)
    return _NON_WORD.sub(" ", strip_diacritics(latin)).strip()


def loose(text: str) -> str:
    """A coarser key than `fold`: merges spelling variants of the same name."""
    key = fold(text)
    for pattern, replacement in _LOOSE_RULES:
        key = pattern.sub(replacement, key)
    return key


def clean_input(text: str, max_length: int = 200) -> str:
    """Drop NUL and control characters from user input, trim it and cap its length."""
    text = "".join(ch for ch in text if ch in "\t\n" or unicodedata.category(ch)[0] != "C")
    return text.strip()[:max_length].rstrip()  # the cut may end on a space
