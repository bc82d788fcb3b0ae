"""The catalogue's query parser: every bad parameter is dropped and reported, never raised.

Expected values are written out by hand; the property tests check the parser's promises (never
raises, every kept value is valid) on generated query strings and fail if no generated example
ever reached the interesting case.
"""

import re
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from hypothesis import event, given, settings, target
from hypothesis import strategies as st

from partnernet.catalogue.filters import MULTI, CatalogueQuery

KATOTTG = "UA65100150000057191"


def parse(**params) -> CatalogueQuery:
    return CatalogueQuery.from_params(
        {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    )


# (parameter, raw value, the values kept, how many problems reported)
CASES = [
    ("sdg", "16", (16,), 0),
    ("sdg", "0", (), 1),
    ("sdg", "18", (), 1),
    ("sdg", "-3", (), 1),
    ("sdg", "1.5", (), 1),
    ("sdg", "16,17,99", (16, 17), 1),
    ("sdg", "²", (), 1),  # a digit to str.isdigit(), not to int()
    ("sdg", "١٦", (), 1),  # Arabic-Indic digits are not a goal number
    ("year", "1990", (1990,), 0),
    ("year", "2100", (2100,), 0),
    ("year", "1989", (), 1),
    ("year", "2101", (), 1),
    ("year", "20x4", (), 1),
    ("year", "9" * 30, (), 1),
    ("country", "ua", ("UA",), 0),
    ("country", "Se", ("SE",), 0),
    ("country", "UKR", (), 1),
    ("country", "U", (), 1),
    ("country", "Ü1", (), 1),
    ("country", "ÅÄ", (), 1),
    ("swedish_partner", "2480", ("2480",), 0),
    ("swedish_partner", "248", (), 1),
    ("swedish_partner", "24801", (), 1),
    ("swedish_partner", "٢٤٨٠", (), 1),  # not ASCII digits
    ("partner", KATOTTG.lower(), (KATOTTG,), 0),
    ("partner", KATOTTG[:-1], (), 1),
    ("partner", "SE00000000000000000", (), 1),
    ("area", "Education", ("education",), 0),
    ("area", "urban-planning", ("urban-planning",), 0),
    ("area", "urban planning", (), 1),
    ("area", "../etc/passwd", (), 1),
    ("area", "a" * 80, ("a" * 80,), 0),
    ("area", "a" * 81, (), 1),
    ("tag", "<script>", (), 1),
    ("tag", "water_supply", (), 1),
    ("network", "democratic-resilience", ("democratic-resilience",), 0),
    ("phase", "PROJECT", ("project",), 0),
    ("status", "active,active,ACTIVE", ("active",), 0),
]


@pytest.mark.parametrize(("name", "raw", "kept", "problems"), CASES)
def test_each_facet_keeps_only_valid_values_and_reports_the_rest(name, raw, kept, problems):
    query = parse(**{name: raw})
    assert getattr(query, name) == kept
    assert query.problems == (name,) * problems


def test_values_may_come_comma_separated_or_repeated_and_keep_their_first_order():
    query = CatalogueQuery.from_params(QueryDict("sdg=17&sdg=3,16&sdg=3&area=b,,a, ,b"))
    assert query.sdg == (17, 3, 16)
    assert query.area == ("b", "a")
    assert query.problems == ()


def test_surrounding_spaces_are_forgiven():
    assert parse(country=" ua ").country == ("UA",)
    assert parse(sdg=" 5 , 6").sdg == (5, 6)


def test_at_most_fifty_values_per_facet_are_read():
    values = ",".join(str(1990 + n) for n in range(60))
    query = parse(year=values)
    assert query.year == tuple(range(1990, 2040))
    assert query.problems == ()  # the rest are ignored, not reported


def test_the_fifty_value_cap_counts_bad_values_too():
    query = parse(sdg=["x"] * 50 + ["16"])
    assert query.sdg == ()
    assert query.problems == ("sdg",) * 50


@pytest.mark.parametrize(
    ("raw", "page"),
    [
        ("1", 1),
        ("7", 7),
        ("10000", 10_000),
        ("10001", 10_000),
        ("999999", 10_000),
        ("1000000", 1),
        ("0", 1),
        ("-2", 1),
        ("abc", 1),
        ("2.5", 1),
        ("", 1),
        ("²", 1),
        ("٣", 1),
    ],
)
def test_the_page_is_a_whole_number_between_one_and_ten_thousand(raw, page):
    assert parse(page=raw).page == page


def test_only_the_first_page_and_sort_parameters_count():
    query = CatalogueQuery.from_params(QueryDict("page=3&page=9&sort=title&sort=evil"))
    assert (query.page, query.sort, query.problems) == (3, "title", ())


@pytest.mark.parametrize(
    ("raw", "sort", "problems"),
    [
        ("title", "title", ()),
        ("-start", "-start", ()),
        ("relevance", "relevance", ()),
        ("", "", ()),
        ("Title", "", ("sort",)),
        ("-title", "", ("sort",)),
        ("start;drop table", "", ("sort",)),
    ],
)
def test_an_unknown_sort_is_dropped_and_reported(raw, sort, problems):
    query = parse(sort=raw)
    assert (query.sort, query.problems) == (sort, problems)


def test_the_text_query_loses_control_characters_and_is_cut_at_200():
    assert parse(q="  water\x00 supply\x1b  ").q == "water supply"
    assert parse(q="x" * 500).q == "x" * 200
    assert parse(q=["water", "supply"]).q == "water supply"
    assert parse(q="a\tb").q == "a\tb"


def test_a_plain_dict_with_single_values_reads_like_a_querydict():
    from_dict = CatalogueQuery.from_params({"sdg": "16", "page": "2", "q": "skola"})
    from_qd = CatalogueQuery.from_params(QueryDict("sdg=16&page=2&q=skola"))
    assert from_dict == from_qd
    assert (from_dict.sdg, from_dict.page, from_dict.q) == ((16,), 2, "skola")
    assert CatalogueQuery.from_params({"sdg": None}).sdg == ()


def test_problems_do_not_make_two_queries_different():
    assert parse(sdg="16,99") == parse(sdg="16")


def test_active_filters_list_only_the_facets_in_use_and_without_clears_one():
    query = parse(area="education", sdg="16,17", q="skola")
    assert query.active_filters() == {"area": ("education",), "sdg": (16, 17)}
    cleared = query.without("sdg")
    assert cleared.active_filters() == {"area": ("education",)}
    assert cleared.q == "skola" and query.sdg == (16, 17)


def test_unknown_parameters_are_ignored():
    assert CatalogueQuery.from_params(QueryDict("utm_source=x&evil=1")) == CatalogueQuery()


VALID = {
    "country": re.compile(r"[A-Z]{2}"),
    "swedish_partner": re.compile(r"[0-9]{4}|UA[0-9]{17}"),
    "partner": re.compile(r"[0-9]{4}|UA[0-9]{17}"),
    "area": re.compile(r"[a-z0-9-]{1,80}"),
    "tag": re.compile(r"[a-z0-9-]{1,80}"),
    "network": re.compile(r"[a-z0-9-]{1,80}"),
    "phase": re.compile(r"[a-z0-9-]{1,80}"),
    "status": re.compile(r"[a-z0-9-]{1,80}"),
}
NAMES = [*MULTI, "q", "sort", "page", "other"]
# Values near the valid ones, so generated queries hit both sides of each rule.
NEAR = st.one_of(
    st.text(max_size=12),
    st.integers(-5, 2200).map(str),
    st.sampled_from(["16", "2480", KATOTTG, "ua", "education", "title", "²", "١٢", " 7 "]),
    st.text(alphabet="0123456789UAua-,", max_size=22),
)


@pytest.mark.reaches("some value kept", "nothing kept", "a problem reported", "no problem", each=10)
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(NAMES), NEAR), max_size=12))
def test_any_query_string_gives_a_query_with_only_valid_values(pairs):
    params = QueryDict(mutable=True)
    for name, value in pairs:
        params.appendlist(name, value)
    query = CatalogueQuery.from_params(params)  # never raises
    for name, pattern in VALID.items():
        assert all(pattern.fullmatch(v) for v in getattr(query, name)), name
    assert all(1 <= n <= 17 for n in query.sdg)
    assert all(1990 <= n <= 2100 for n in query.year)
    assert 1 <= query.page <= 10_000
    assert len(query.q) <= 200
    assert set(query.problems) <= {*MULTI, "sort"}
    kept = sum(len(v) for v in query.active_filters().values())
    event("some value kept" if kept else "nothing kept")
    event("a problem reported" if query.problems else "no problem")
    target(float(kept), label="values kept")


# Random text is rarely a query string naming a filter: written ones reach the "read" branch.
WRITTEN_QUERIES = st.lists(st.tuples(st.sampled_from(NAMES), NEAR), max_size=8).map(urlencode)


@pytest.mark.reaches("some filter read", "no filter read")
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300) | WRITTEN_QUERIES)
def test_a_raw_query_string_never_raises(raw):
    query = CatalogueQuery.from_params(QueryDict(raw))
    event("some filter read" if query.active_filters() else "no filter read")
    assert 1 <= query.page <= 10_000
    assert len(query.q) <= 200


def test_a_percent_encoded_query_string_is_read_like_its_decoded_form():
    raw = "sdg=16%2C17&country=%20ua&q=%3Cb%3Eskola%3C%2Fb%3E"
    query = CatalogueQuery.from_params(QueryDict(raw))
    assert (query.sdg, query.country, query.q) == ((16, 17), ("UA",), "<b>skola</b>")
