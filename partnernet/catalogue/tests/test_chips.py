"""The chips above the results: one per active filter, each linking to the same search without
that one value (and without the page number, since the results change)."""

from urllib.parse import parse_qsl

import pytest
from django.http import QueryDict
from django.utils import translation

from partnernet.catalogue.facets import FacetOption
from partnernet.catalogue.filters import CatalogueQuery
from partnernet.catalogue.pages import active_chips, sort_options


def chips(raw: str, facets: dict | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    params = QueryDict(raw)
    with translation.override("en"):
        found = active_chips(params, CatalogueQuery.from_params(params), facets)
    return [(label, parse_qsl(link.lstrip("?"))) for label, link in found]


def test_each_value_and_the_text_query_get_a_chip_that_removes_only_itself():
    assert chips("area=education,urban-planning&sdg=16&page=3&q=skola") == [
        ("Search: skola", [("area", "education"), ("area", "urban-planning"), ("sdg", "16")]),
        (
            "Cooperation area: education",
            [("area", "urban-planning"), ("sdg", "16"), ("q", "skola")],
        ),
        (
            "Cooperation area: urban-planning",
            [("area", "education"), ("sdg", "16"), ("q", "skola")],
        ),
        ("Global goal: 16", [("area", "education"), ("area", "urban-planning"), ("q", "skola")]),
    ]


def test_a_chip_carries_the_facet_label_when_there_is_one():
    facets = {"sdg": [FacetOption(16, "16. Peace", 3, True)]}
    assert chips("sdg=16", facets) == [("Global goal: 16. Peace", [])]


def test_removing_a_value_written_in_another_case_or_with_spaces_removes_it():
    assert chips("country=ua") == [("Country of the international partner: UA", [])]
    assert chips("area=%20Education%20") == [("Cooperation area: education", [])]
    assert chips("area=education&area=Education") == [("Cooperation area: education", [])]


def test_removing_a_number_written_with_leading_zeros_removes_it():
    assert chips("sdg=016&year=02020") == [
        ("Global goal: 16", [("year", "02020")]),
        ("Start year: 2020", [("sdg", "016")]),
    ]


def test_invalid_values_make_no_chip():
    assert chips("sdg=99&year=1800&country=SWE&sort=evil") == []
    assert chips("") == []


def test_the_sort_and_other_parameters_are_kept_in_the_links():
    assert chips("area=education&sort=-start&utm=x") == [
        ("Cooperation area: education", [("sort", "-start"), ("utm", "x")])
    ]


def test_the_sort_menu_offers_best_match_first_then_every_order_once():
    with translation.override("en"):
        options = sort_options()
    assert options == [
        ("relevance", "Best match"),
        ("title", "Title"),
        ("-start", "Newest first"),
        ("start", "Oldest first"),
        ("swedish_partner", "Swedish partner"),
        ("partner", "International partner"),
    ]


@pytest.mark.django_db
def test_the_page_shows_each_chip_as_a_removal_link(client):
    body = client.get("/en/partnerships/?area=education&sdg=16&page=2").content.decode()
    assert '<li><a href="?sdg=16">Cooperation area: Education <span aria-hidden="true">' in body
    assert '<li><a href="?area=education">Global goal: 16.' in body


@pytest.mark.django_db
def test_a_chip_label_with_markup_is_escaped(client):
    body = client.get("/en/partnerships/", {"q": "<i>x</i>"}).content.decode()
    assert "Search: &lt;i&gt;x&lt;/i&gt;" in body and "Search: <i>" not in body
