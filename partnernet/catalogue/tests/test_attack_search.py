"""Attack on search with compound words: a text with a huge "word" of known pieces is indexed
and highlighted (it raised RecursionError, a server error on the search page and when a
partnership's text was indexed). Expected values are written by hand."""

from partnernet.catalogue.search import highlight, query_groups, text_tokens


def test_a_huge_compound_is_indexed_and_highlighted_whole():
    text = "Vatten och " + "vatten" * 400
    assert "vatten" in text_tokens(text, "sv")
    marked = highlight(text, query_groups("vatten"), "sv")
    assert marked.startswith("<mark>Vatten</mark> och ")
    assert "<mark>vattenvatten" not in marked  # the huge word is no compound of "vatten"


def test_a_huge_query_of_repeated_words_asks_for_each_word_once():
    groups = query_groups(" ".join(["vattenförsörjning"] * 50_000 + ["gender-equal"]))
    assert [group[-1] for group in groups] == ["vattenforsorjning", "gender", "equal"]
