"""Ukrainian -> Latin transliteration, the official national system.

Copied from the project's reference-data build (`shared/data/build/translit_uk.py`), which
implements Resolution No. 55 of the Cabinet of Ministers of Ukraine of 27 January 2010:
Є, Ї, Й, Ю, Я are Ye, Yi, Y, Yu, Ya at the start of a word and ie, i, i, iu, ia elsewhere;
"зг" is "zgh"; the soft sign and the apostrophe are dropped. A word starts after any
character that is not a letter.

    >>> translit("Коломийська")
    'Kolomyiska'
    >>> translit("Кам'янець-Подільський")
    'Kamianets-Podilskyi'
"""

_BASE = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
    # Russian letters that appear in queries typed on a Russian layout
    "ё": "io",
    "ы": "y",
    "э": "e",
    "ъ": "",
}
_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_APOSTROPHES = {"'", "\u2019", "\u02bc", "`", "\u2018", "\u02b9"}


def translit(text: str) -> str:
    """Transliterate Ukrainian Cyrillic to Latin; other characters pass through."""
    out: list[str] = []
    prev_is_letter = False
    prev_lower = ""
    for ch in text:
        if ch in _APOSTROPHES:
            continue  # the apostrophe is dropped; the word continues
        low = ch.lower()
        if low not in _BASE:
            out.append(ch)
            prev_is_letter, prev_lower = ch.isalpha(), ""
            continue
        if low == "г" and prev_lower == "з":
            lat = "gh"
        elif not prev_is_letter and low in _INITIAL:
            lat = _INITIAL[low]
        else:
            lat = _BASE[low]
        if ch != low and lat:
            lat = lat[0].upper() + lat[1:]
        out.append(lat)
        prev_is_letter, prev_lower = True, low
    return "".join(out)


def has_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)
