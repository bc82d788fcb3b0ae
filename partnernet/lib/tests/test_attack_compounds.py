"""Attack on the compound splitter: a very long "word" made of known pieces (anyone can write
one into a text that is indexed or highlighted) went one recursion level per piece and cost
the cube of its length, so 400 × "vatten" raised RecursionError. A word longer than any real
compound is left whole. Expected values are written by hand."""

import time

import pytest

from partnernet.lib import compounds


@pytest.mark.parametrize("word", ["vatten" * 400, "vatten" * 20_000 + "x", "stads" * 30_000])
def test_a_huge_word_is_left_whole_quickly(word):
    compounds.swedish_parts.cache_clear()
    started = time.perf_counter()
    assert compounds.parts(word, "sv") == ()
    assert time.perf_counter() - started < 0.5


def test_a_huge_hyphenated_text_keeps_its_pieces_and_splits_only_real_compounds():
    word = "-".join(["vattenförsörjning"] * 5_000 + ["vatten" * 400])
    started = time.perf_counter()
    found = compounds.parts(word, "sv")
    assert found == ("vattenförsörjning", "vatten" * 400, "vatten", "försörjning")
    assert time.perf_counter() - started < 0.5


def test_the_longest_real_compounds_are_still_split():
    assert compounds.swedish_parts("dricksvattenförsörjning") == ("dricksvatten", "försörjning")
    assert compounds.swedish_parts("jämställdhetsutbildning") == ("jämställdhet", "utbildning")
