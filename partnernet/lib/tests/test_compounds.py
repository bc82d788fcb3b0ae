"""Parts of compound words, against splits written out by hand (pure: no database)."""

import pytest

from partnernet.lib.compounds import hyphen_parts, parts, swedish_parts


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("vattenförsörjning", ("vatten", "försörjning")),
        ("vattenförsörjningen", ("vatten", "försörjning")),  # an inflected last piece
        ("stadsplanering", ("stad", "planering")),  # the linking s
        ("samhällsplanering", ("samhälle", "planering")),  # a dropped e and the linking s
        ("skolutveckling", ("skola", "utveckling")),  # a dropped a
        ("medborgardialog", ("medborgare", "dialog")),
        ("folkhälsoarbete", ("folkhälsa", "arbete")),  # hälsa → hälso-
        ("avfallshantering", ("avfall", "hantering")),
        ("krisberedskap", ("kris", "beredskap")),
        ("vattenförsörjningsplan", ("vatten", "försörjning", "plan")),  # three pieces
        ("ledningsgrupp", ("ledning", "grupp")),
    ],
)
def test_swedish_compounds_split_into_known_words(word, expected):
    assert swedish_parts(word) == expected


@pytest.mark.parametrize(
    "word",
    [
        "demokrati",  # a known word by itself
        "kommunen",  # an inflection, not a compound
        "planeringen",
        "Karlskrona",  # a name: pieces that are not known words are never guessed
        "Ronneby",
        "ost",  # too short
        "",
    ],
)
def test_words_that_are_not_compounds_stay_whole(word):
    assert swedish_parts(word) == ()


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Gender-equal", ("Gender", "equal")),
        ("Івано-Франківськ", ("Івано", "Франківськ")),
        ("e-tjänster", ("e", "tjänster")),
        ("well–being", ("well", "being")),  # an en dash
        ("gender", ()),
        ("-", ()),
    ],
)
def test_hyphenated_words_are_their_pieces(word, expected):
    assert hyphen_parts(word) == expected


def test_parts_splits_swedish_compounds_only_in_swedish():
    assert parts("jämställdhetsarbete", "sv") == ("jämställdhet", "arbete")
    assert parts("jämställdhetsarbete", "en") == ()
    assert parts("Gender-equal", "en") == ("Gender", "equal")
    assert parts("vatten-försörjning", "sv") == ("vatten", "försörjning")
