"""The languages Partnernet is written in, and which text a reader gets: the one owner.

Pure (no Django import), so settings, models, exports and the API all read the same list and
the same fallback order: the reader's language, then the language the text was written in,
then Swedish, English and Ukrainian.
"""

from collections.abc import Iterable

LANGUAGES: tuple[str, ...] = ("sv", "uk", "en")  # the order of the language menu
NAMES = {"sv": "Svenska", "uk": "Українська", "en": "English"}
CHOICES = [(code, NAMES[code]) for code in LANGUAGES]
FALLBACK = ("sv", "en", "uk")  # after the reader's and the original language
DEFAULT = "sv"


def fallback_order(reader: str, source: str = DEFAULT) -> tuple[str, ...]:
    """The languages to try, best first, each once."""
    return tuple(dict.fromkeys(c for c in (reader, source, *FALLBACK) if c in NAMES))


def best_text(obj: object, field: str, reader: str) -> tuple[str, str]:
    """(text, its language) of `field` for a reader of `reader`: the first language in
    `fallback_order` that has the text; else the untranslated field, in the original language.
    """
    source = getattr(obj, "source_language", None) or DEFAULT
    for code in fallback_order(reader, source):
        value = getattr(obj, f"{field}_{code}", "") or ""
        if value:
            return value, code
    return getattr(obj, field, "") or "", source


def texts_of(obj: object, field: str, languages: Iterable[str] = LANGUAGES) -> dict[str, str]:
    """The stored text of `field` in each language (empty where it is missing)."""
    return {code: getattr(obj, f"{field}_{code}", "") or "" for code in languages}
