"""Property tests of the pure parts: CSV cells and IATI narratives."""

import csv
import io

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from lxml import etree

from partnernet.opendata import datasets, iati

FIELDS = (datasets.Field("id", "string", "x", True), datasets.Field("text", "string", "x"))
TABLE = datasets.Dataset("t", "t", "t", "CC-BY-4.0", FIELDS, lambda: [])
# What a spreadsheet runs as a formula (OWASP), written here, not read from the code under test.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.reaches("formula-like", "plain")
@given(st.lists(st.text(), min_size=1, max_size=5))
def test_csv_cells_never_start_like_a_formula_and_keep_their_text(values):
    rows = [[str(i), value] for i, value in enumerate(values)]
    event("formula-like" if any(v.startswith(TRIGGERS) for v in values) else "plain")
    text = "".join(datasets.csv_chunks(TABLE, rows))
    parsed = list(csv.reader(io.StringIO(text, newline="")))[1:]
    for (_, original), (_, cell) in zip(rows, parsed, strict=True):
        assert not cell.startswith(TRIGGERS)
        assert cell in (original, "'" + original)


XML_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@pytest.mark.reaches("no narrative", "some narrative", "a blank text left out")
@given(st.dictionaries(st.sampled_from(["sv", "en", "uk"]), XML_TEXT))
def test_narratives_carry_exactly_the_languages_that_have_text(texts):
    element = iati.narratives(etree.Element("title"), texts)
    langs = element.xpath("narrative/@xml:lang")
    event("some narrative" if langs else "no narrative")
    if len(langs) < len(texts):
        event("a blank text left out")
    assert sorted(langs) == sorted(k for k, v in texts.items() if iati.xml_text(v).strip())
