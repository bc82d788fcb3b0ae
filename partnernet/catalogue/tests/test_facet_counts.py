"""Facet counts, filters and sort orders on a small hand-built index, against counts worked out
by hand (the demo data gives every partnership the same goals, tags and dates, which would hide
most of what is tested here)."""

from datetime import date

import pytest
from django.utils import translation

from partnernet.catalogue import facets
from partnernet.catalogue.facets import (
    EXTRA,
    FacetIndex,
    SortKeys,
    catalogue_facets,
    index_from_sets,
    label_of,
    matching_ids,
    sorted_ids,
)
from partnernet.catalogue.filters import MULTI, CatalogueQuery

KH, KA = "UA65100150000057191", "UA26060170000091466"
VERSION = ("test", "hand-built", 1)
# id: the public facts of one partnership (None: private or unknown)
ROWS = {
    1: {
        "country": "UA",
        "swedish_partner": "2480",
        "partner": KH,
        "area": "education",
        "sdg": (4, 16),
        "tag": ("water",),
        "network": "dr",
        "phase": "project",
        "status": "active",
        "year": 2020,
    },
    2: {
        "country": "UA",
        "swedish_partner": "2480",
        "partner": KA,
        "area": "water",
        "sdg": (6,),
        "tag": ("water", "schools"),
        "network": "dr",
        "phase": "inception",
        "status": "active",
        "year": 2021,
    },
    3: {
        "country": "MD",
        "swedish_partner": "0780",
        "partner": None,
        "area": "education",
        "sdg": (4,),
        "tag": (),
        "network": "dr",
        "phase": "project",
        "status": "paused",
        "year": None,
    },
    4: {
        "country": "UA",
        "swedish_partner": "0780",
        "partner": KH,
        "area": "water",
        "sdg": (6, 16),
        "tag": ("schools",),
        "network": "gr",
        "phase": "completed",
        "status": "closed",
        "year": 2019,
    },
}
NAMES = {
    "2480": {"sv": "Umeå", "en": "Umeå", "uk": "Умео"},
    "0780": {"sv": "Växjö", "en": "Växjö", "uk": "Векше"},
    KH: {"sv": "Cherson", "en": "Kherson", "uk": "Херсон"},
    KA: {"sv": "Kalusj", "en": "Kalush", "uk": "Калуш"},
}
LABELS = {
    "country": {"MD": {"sv": "Moldavien", "en": "Moldova", "uk": "Молдова"}},
    "swedish_partner": NAMES,
    "partner": NAMES,
    "area": {
        "education": {"sv": "Utbildning", "en": "Education", "uk": "Освіта"},
        "water": {"sv": "Vatten", "en": "Water", "uk": ""},
    },
    "network": {"dr": {"sv": "Demokrati", "en": "Democracy", "uk": "Демократія"}},
    "sdg": {4: {"en": "Education"}, 6: {"en": "Water"}, 16: {"en": "Peace"}},
    "tag": {},
}


def build(rows: dict) -> FacetIndex:
    sets: dict[str, dict] = {name: {} for name in (*MULTI, *EXTRA)}
    for pk, row in rows.items():
        for name, value in row.items():
            for v in value if isinstance(value, tuple) else (value,):
                if v is not None:
                    sets[name].setdefault(v, set()).add(pk)
    index = index_from_sets(VERSION, sets, ids=rows)
    index.__dict__["labels"] = LABELS  # the cached properties, without the database
    index.__dict__["colours"] = {4: "#C5192D", 6: "#26BDE2", 16: "#00689D"}
    return index


@pytest.fixture
def index():
    """The hand-built index stands in for the one of the current data version."""
    saved = facets._latest.current
    facets._latest.keep(built := build(ROWS))
    with translation.override("en"):
        yield built
    facets._latest.keep(saved)


def counts(query: CatalogueQuery, name: str, **kwargs) -> dict:
    options = catalogue_facets(query, version=VERSION, **kwargs)[name]
    return {o.value: o.count for o in options}


def q(**params) -> CatalogueQuery:
    return CatalogueQuery.from_params({k: [v] for k, v in params.items()})


def test_without_filters_every_value_is_counted_once_per_partnership(index):
    query = CatalogueQuery()
    assert counts(query, "country") == {"UA": 3, "MD": 1}
    assert counts(query, "swedish_partner") == {"2480": 2, "0780": 2}
    assert counts(query, "partner") == {KH: 2, KA: 1}  # 3 keeps its partner private
    assert counts(query, "sdg") == {4: 2, 6: 2, 16: 2}
    assert counts(query, "tag") == {"water": 2, "schools": 2}
    assert counts(query, "network") == {"dr": 3, "gr": 1}
    assert counts(query, "phase") == {"completed": 1, "inception": 1, "project": 2}
    assert counts(query, "year") == {2019: 1, 2020: 1, 2021: 1}  # 3's start is private


def test_a_filter_narrows_the_other_facets_but_not_its_own(index):
    query = q(area="education")  # partnerships 1 and 3
    assert counts(query, "area") == {"education": 2, "water": 2}
    assert counts(query, "country") == {"UA": 1, "MD": 1}
    assert counts(query, "sdg") == {4: 2, 16: 1}
    assert counts(query, "tag") == {"water": 1}
    assert counts(query, "year") == {2020: 1}
    assert counts(query, "status") == {"active": 1, "paused": 1}


def test_two_filters_each_count_under_the_other(index):
    query = q(area="education", sdg="16")  # only partnership 1
    assert counts(query, "area") == {"education": 1, "water": 1}  # sdg 16: 1 and 4
    assert counts(query, "sdg") == {4: 2, 16: 1}  # education: 1 and 3
    assert counts(query, "country") == {"UA": 1}
    assert counts(query, "partner") == {KH: 1}


def test_values_of_one_facet_add_up_and_facets_narrow(index):
    assert matching_ids(index, CatalogueQuery()) == {1, 2, 3, 4}
    assert matching_ids(index, q(sdg="4,6")) == {1, 2, 3, 4}
    assert matching_ids(index, q(sdg="4,6", country="UA")) == {1, 2, 4}
    assert matching_ids(index, q(sdg="4,6", country="UA", tag="schools")) == {2, 4}
    assert matching_ids(index, q(area="education", network="gr")) == set()
    assert matching_ids(index, q(tag="unknown")) == set()


def test_a_private_value_can_be_neither_counted_nor_filtered_on(index):
    assert matching_ids(index, q(partner=KA)) == {2}
    assert 3 not in matching_ids(index, q(year="2020,2021,2019"))
    assert matching_ids(index, q(country="MD", year="2020")) == set()


def test_a_chosen_value_with_no_results_is_still_offered_selected(index):
    options = catalogue_facets(q(country="MD", sdg="6"), version=VERSION)
    country = {o.value: (o.count, o.selected) for o in options["country"]}
    assert country == {"UA": (2, False), "MD": (0, True)}
    sdg = {o.value: (o.count, o.selected) for o in options["sdg"]}
    assert sdg == {4: (1, False), 6: (0, True)}


def test_an_unknown_chosen_value_matches_nothing_and_is_not_offered(index):
    """A value no published partnership has (an old link) is not an option: its chip removes it."""
    assert matching_ids(index, q(area="nowhere")) == set()
    options = catalogue_facets(q(area="nowhere"), version=VERSION)
    assert [(o.value, o.label, o.count, o.selected) for o in options["area"]] == [
        ("education", "Education", 2, False),
        ("water", "Water", 2, False),
    ]
    assert options["country"] == []  # nothing else is left to choose


def test_the_text_query_restricts_every_count(index):
    assert counts(CatalogueQuery(), "area", matching={1, 2}) == {"education": 1, "water": 1}
    assert counts(CatalogueQuery(), "area", matching={99}) == {}
    assert counts(q(sdg="16"), "country", matching={1, 2, 3}) == {"UA": 1}


def test_ordered_facets_go_by_value_the_others_by_count_then_label(index):
    result = catalogue_facets(CatalogueQuery(), version=VERSION)
    assert [o.value for o in result["sdg"]] == [4, 6, 16]
    assert [o.value for o in result["year"]] == [2019, 2020, 2021]
    assert [o.value for o in result["phase"]] == ["completed", "inception", "project"]
    assert [o.value for o in result["network"]] == ["dr", "gr"]  # 3 before 1
    assert [o.label for o in result["swedish_partner"]] == ["Umeå", "Växjö"]  # 2 and 2: by name
    assert [o.label for o in result["country"]] == ["Ukraine", "Moldova"]


def test_labels_follow_the_reader_and_fall_back(index):
    with translation.override("uk"):
        assert label_of(index, "partner", KH) == "Херсон"
        assert label_of(index, "area", "water") == "Vatten"  # no Ukrainian: Swedish
    with translation.override("sv"):
        assert label_of(index, "partner", KH) == "Cherson"
        assert label_of(index, "country", "UA") == "Ukraina"
    assert label_of(index, "sdg", 16) == "16. Peace"
    assert label_of(index, "sdg", 6) == "6. Water"
    assert label_of(index, "year", 2020) == "2020"
    assert label_of(index, "tag", "unknown-tag") == "unknown-tag"
    assert label_of(index, "status", "paused") == "paused"
    assert label_of(index, "phase", "nonsense") == "nonsense"


def test_goal_options_carry_their_colour_and_others_none(index):
    result = catalogue_facets(CatalogueQuery(), version=VERSION)
    assert {o.value: o.colour for o in result["sdg"]} == {
        4: "#C5192D",
        6: "#26BDE2",
        16: "#00689D",
    }
    assert {o.colour for o in result["area"]} == {""}


def test_at_most_25_municipalities_are_offered_plus_the_chosen_ones():
    # 30 Swedish partners: the n-th has n partnerships (ids n*100 .. n*100+n-1).
    rows = {
        code * 100 + k: {"swedish_partner": f"{code:04d}"}
        for code in range(1, 31)
        for k in range(code)
    }
    saved = facets._latest.current
    facets._latest.keep(build(rows))
    try:
        query = q(swedish_partner="0002")  # chosen, yet among the least frequent
        options = catalogue_facets(query, version=VERSION)["swedish_partner"]
    finally:
        facets._latest.keep(saved)
    values = [o.value for o in options]
    assert values[:25] == [f"{n:04d}" for n in range(30, 5, -1)]
    assert values[25:] == ["0002"]
    assert options[25].selected and options[25].count == 2


def n(name: str) -> dict[str, str]:
    return {"sv": name, "en": name, "uk": name}


KHERSON = {"sv": "cherson", "en": "kherson", "uk": "херсон"}
KEYS = {
    1: SortKeys(
        {"sv": "bro", "en": "bridge", "uk": "mist"}, date(2021, 3, 1), n("umeå"), KHERSON, "b"
    ),
    2: SortKeys({"sv": "arbete", "en": "", "uk": ""}, date(2023, 5, 1), n("växjö"), None, "a"),
    3: SortKeys({"sv": "cykel", "en": "cycle", "uk": "velo"}, None, n("falun"), n("kalush"), "c"),
    4: SortKeys(
        {"sv": "bro", "en": "bridge", "uk": "mist"}, date(2023, 5, 1), n("falun"), None, "d"
    ),
    5: SortKeys({"sv": "ängel", "en": "angel", "uk": "anhel"}, None, n("umeå"), n("chortkiv"), "e"),
}


@pytest.fixture
def keyed():
    return index_from_sets(VERSION, {}, sort_keys=dict(KEYS))


@pytest.mark.parametrize(
    ("sort", "language", "expected"),
    [
        # by title in the reader's language (Swedish where it is missing), then address
        ("title", "en", [5, 2, 1, 4, 3]),
        ("title", "sv", [2, 1, 4, 3, 5]),  # ä after z in Swedish casefolded code points
        ("title", "uk", [5, 2, 1, 4, 3]),
        # dated first (oldest first, equal dates by address), then the undated by title
        ("start", "en", [1, 2, 4, 5, 3]),
        ("-start", "en", [2, 4, 1, 5, 3]),
        # a private partner sorts last, as if unknown
        ("partner", "en", [5, 3, 1, 2, 4]),
        ("partner", "sv", [1, 5, 3, 2, 4]),  # Cherson before Chortkiv in Swedish
        ("swedish_partner", "en", [4, 3, 5, 1, 2]),  # then by title
        ("", "en", [5, 2, 1, 4, 3]),
    ],
)
def test_sort_orders(keyed, sort, language, expected):
    assert sorted_ids(keyed, set(KEYS), sort, language) == expected


def test_sorting_a_subset_keeps_the_same_relative_order(keyed):
    assert sorted_ids(keyed, {3, 4, 2}, "-start", "en") == [2, 4, 3]
    assert sorted_ids(keyed, {3, 5}, "partner", "en") == [5, 3]
    assert sorted_ids(keyed, set(), "title", "en") == []
