"""Parts of compound words, so a search for a part finds the whole (pure, no Django).

- **Hyphenated words** in any language are also their parts: "Gender-equal" is "gender" and
  "equal", "Івано-Франківськ" is "Івано" and "Франківськ".
- **Swedish compounds** are written as one word ("vattenförsörjning", "stadsplanering"), which
  Snowball stems as a whole, so "vatten" would never meet "vattenförsörjning". `parts` splits a
  Swedish word where each piece is a known word (`SWEDISH_WORDS`, a hand-made list of the words
  municipal cooperation is written with), allowing the linking letters Swedish uses between the
  pieces (stad·s·planering, skol(a)·utveckling, medborgar(e)·dialog). A word that cannot be
  split entirely into known pieces is left whole: no guessing.
"""

import functools
import re

MIN_PART = 3  # shorter pieces ("is", "ek") split too much that is not a compound
# Longer than any real compound ("dricksvattenförsörjningsanläggning" has 34 letters). Anyone
# can write a longer "word" into a text that is indexed; split, it cost one recursion level per
# piece and the cube of its length (RecursionError from 400 × "vatten"). It is left whole.
MAX_COMPOUND = 60
_HYPHENS = re.compile(r"['’ʼ]?[-‐‑–]")

# Swedish words that compounds of municipal cooperation are made of (base forms, lower case).
_WORDS = """
    arbete avfall barn beredskap bostad bygg byggnad demokrati dialog digital distans
    ekonomi energi fjärr folk folkhälsa fond förnybar förvaltning försörjning förskola
    gata grund grupp hantering hälsa ideell infrastruktur inflytande insats jämställd
    jämställdhet klimat kollektiv kommun kommunikation kompetens kontroll kris kultur kunskap
    lag landsbygg ledning ledarskap lärande lärare medborgare medel miljö mottagning nät
    nätverk omsorg plan planering politik politiker process projekt rening resurs region
    reningsverk råd samhälle samverkan samarbete service sjukvård skola skydd social
    stad styrning system säkerhet teknik tillgänglighet trafik trygghet ungdom utbildning
    utveckling val vatten verk verksamhet värme äldre ändamål återvinning öppenhet
    avlopp dricksvatten spill dagvatten ledning ledningar nämnd fullmäktige
    elev kvinna man jämlik inkludering integration deltagande invånare boende
    krig återuppbyggnad hållbar hållbarhet korruption transparens insyn
    information kris krishantering räddning tjänst brand polis civil försvar
    park grön energieffektiv ström uppvärmning bränsle solenergi vind
    sophantering sopor insamling sortering sjuk vård kyrka skog jord bruk
    mat livsmedel turism näringsliv företag handel arbetsmarknad
"""
SWEDISH_WORDS = frozenset(_WORDS.split())
_LINKS = ("", "s", "e", "a", "o", "u")  # the letters a piece may have lost or gained


@functools.lru_cache(maxsize=50_000)
def swedish_parts(word: str) -> tuple[str, ...]:
    """The known words a Swedish compound is made of (lower case), or () when it is not one
    (or is a known word by itself)."""
    word = word.lower()
    if not 2 * MIN_PART <= len(word) <= MAX_COMPOUND:
        return ()
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head = _known_piece(word[:cut])
        if not head:
            continue
        rest = word[cut:]
        tail = _tail(rest)
        if tail:
            return (head, *tail)
    return ()


def _known_piece(piece: str) -> str:
    """The known word a first piece stands for: itself, without a linking s, or with the
    final vowel compounds drop (skol·a, medborgar·e)."""
    if piece in SWEDISH_WORDS:
        return piece
    stems = [piece, piece[:-1]] if piece.endswith("s") and len(piece) > MIN_PART else [piece]
    for stem in stems:
        if stem in SWEDISH_WORDS:
            return stem
        for vowel in _LINKS[2:]:  # skol·a, medborgar·e, samhäll·e·s
            if stem + vowel in SWEDISH_WORDS:
                return stem + vowel
        if stem[-1:] in ("o", "u", "e") and stem[:-1] + "a" in SWEDISH_WORDS:  # hälso, gatu
            return stem[:-1] + "a"
    return ""


def _tail(rest: str) -> tuple[str, ...]:
    if rest in SWEDISH_WORDS:
        return (rest,)
    for ending in ("en", "et", "ar", "er", "or", "na", "n", "t", "a", "s"):  # inflected last piece
        if rest.endswith(ending) and rest[: -len(ending)] in SWEDISH_WORDS:
            return (rest[: -len(ending)],)
    return swedish_parts(rest)


def hyphen_parts(word: str) -> tuple[str, ...]:
    """The pieces of a hyphenated word ("gender-equal" → gender, equal), or ()."""
    pieces = tuple(p for p in _HYPHENS.split(word) if p)
    return pieces if len(pieces) > 1 else ()


def parts(word: str, language: str) -> tuple[str, ...]:
    """Every part a word may be found by: its hyphenated pieces, and (Swedish) the pieces of
    each compound among them; () for a simple word."""
    pieces = hyphen_parts(word) or (word,)
    found: list[str] = list(pieces) if len(pieces) > 1 else []
    if language == "sv":
        for piece in pieces:
            found += swedish_parts(piece)
    return tuple(dict.fromkeys(found))
