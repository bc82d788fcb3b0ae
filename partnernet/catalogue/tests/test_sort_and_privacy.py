"""Sort orders and facet counts on the real index, with the demo partnerships given distinct
dates first (in the demo data they all start on the same day, which would hide the order), and
with fields kept private: a private value is neither counted, nor filterable, nor sortable."""

from datetime import date

import pytest
from django.utils import translation

from partnernet.catalogue.facets import facet_index
from partnernet.catalogue.filters import CatalogueQuery
from partnernet.catalogue.selectors import catalogue_facets, catalogue_ids
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.services import partnership_field_hide

STARTS = {
    "falun-kolomyia": date(2021, 3, 1),
    "karlskrona-chortkiv": date(2023, 5, 1),
    "lidingo-slavuta": date(2022, 1, 10),
    "ronneby-ternopil": None,
    "umea-kherson": date(2023, 5, 1),
    "vaxjo-kalush": date(2020, 2, 2),  # kept private below
}


def hide(slug: str, field: str) -> None:
    partnership_field_hide(
        partnership=Partnership.objects.get(slug=slug), field=field, reason="safety", actor=None
    )


@pytest.fixture
def dated():
    for slug, start in STARTS.items():
        Partnership.objects.filter(slug=slug).update(start_date=start, end_date=None)
    hide("vaxjo-kalush", "start_date")


def order(sort: str, language: str = "en", **params) -> list[str]:
    query = CatalogueQuery.from_params({"sort": [sort], **{k: [v] for k, v in params.items()}})
    with translation.override(language):
        ids = catalogue_ids(query)
    slugs = dict(Partnership.objects.filter(pk__in=ids).values_list("pk", "slug"))
    return [slugs[pk] for pk in ids]


@pytest.mark.django_db
def test_oldest_first_puts_the_undated_and_the_private_start_last(dated):
    assert order("start") == [
        "falun-kolomyia",
        "lidingo-slavuta",
        "karlskrona-chortkiv",  # same day as Umeå: by address
        "umea-kherson",
        "ronneby-ternopil",  # no start: by title, "Ronneby and …" before "Växjö and …"
        "vaxjo-kalush",  # its start is private: as if unknown
    ]


@pytest.mark.django_db
def test_newest_first_keeps_the_undated_last_too(dated):
    assert order("-start") == [
        "karlskrona-chortkiv",
        "umea-kherson",
        "lidingo-slavuta",
        "falun-kolomyia",
        "ronneby-ternopil",
        "vaxjo-kalush",
    ]


@pytest.mark.django_db
def test_a_private_start_is_neither_counted_nor_filterable_by_year(dated):
    with translation.override("en"):
        years = catalogue_facets(CatalogueQuery())["year"]
    assert {o.value: o.count for o in years} == {2021: 1, 2022: 1, 2023: 2}
    assert order("title", year="2020") == []
    assert order("title", year="2023") == ["karlskrona-chortkiv", "umea-kherson"]


@pytest.mark.django_db
def test_a_private_partner_sorts_last_and_is_not_counted():
    hide("falun-kolomyia", "partner")
    assert order("partner")[-1] == "falun-kolomyia"
    with translation.override("en"):
        partners = catalogue_facets(CatalogueQuery())["partner"]
    assert "UA26080070000092582" not in {o.value for o in partners}  # Kolomyia
    assert len(partners) == 5
    assert order("title", partner="UA26080070000092582") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # Chortkiv, Kalush, Kherson, Kolomyia, Slavuta, Ternopil
        ("en", ["karlskrona", "vaxjo", "umea", "falun", "lidingo", "ronneby"]),
        # Cherson, Chortkiv, Kalusj, Kolomyja, Slavuta, Ternopil
        ("sv", ["umea", "karlskrona", "vaxjo", "falun", "lidingo", "ronneby"]),
    ],
)
def test_partners_sort_by_their_name_in_the_readers_language(language, expected):
    # The index is shared by every language: build it while another language is active.
    with translation.override("uk" if language == "en" else "en"):
        facet_index()
    assert [slug.split("-")[0] for slug in order("partner", language)] == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # Falun, Karlskrona, Lidingö, Ronneby, Umeå, Växjö
        ("sv", ["falun", "karlskrona", "lidingo", "ronneby", "umea", "vaxjo"]),
        # Векше, Карлскруна, Лідінге, Роннебю, Умео, Фалун (in Cyrillic alphabetical order)
        ("uk", ["vaxjo", "karlskrona", "lidingo", "ronneby", "umea", "falun"]),
    ],
)
def test_swedish_partners_sort_by_their_name_in_the_readers_language(language, expected):
    with translation.override("en"):
        facet_index()
    assert [slug.split("-")[0] for slug in order("swedish_partner", language)] == expected


@pytest.mark.django_db
def test_the_catalogue_page_lists_the_sorted_results(client, dated):
    body = client.get("/en/partnerships/?sort=-start").content.decode()
    positions = [
        body.index(f"/en/partnerships/{slug}/")
        for slug in ("karlskrona-chortkiv", "umea-kherson", "falun-kolomyia", "vaxjo-kalush")
    ]
    assert positions == sorted(positions)
