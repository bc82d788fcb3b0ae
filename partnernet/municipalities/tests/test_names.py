"""Display names and spellings of registry rows, and the search over them, against spellings
written out by hand."""

import pytest
from django.utils import translation

from partnernet.municipalities.models import Municipality
from partnernet.municipalities.names import hromada_names, kommun_names, search_text
from partnernet.municipalities.selectors import (
    municipality_get,
    municipality_search,
    search_keys,
)


def hromada(kind: str, name_uk: str, name_latin: str, centre_uk: str, centre_latin: str) -> dict:
    return {
        "hromada_type": kind,
        "name_uk": name_uk,
        "name_latin": name_latin,
        "admin_centre_name_uk": centre_uk,
        "admin_centre_name_latin": centre_latin,
    }


@pytest.mark.parametrize(
    ("row", "sv", "en", "uk", "official"),
    [
        (
            hromada("urban", "Херсонська", "Khersonska", "Херсон", "Kherson"),
            "Cherson",  # the Swedish exonym
            "Kherson",  # an urban hromada is known by its centre
            "Херсон",
            "Херсонська міська територіальна громада",
        ),
        (
            hromada("urban", "Коломийська", "Kolomyiska", "Коломия", "Kolomyia"),
            "Kolomyia",  # no exonym: the national Latin form
            "Kolomyia",
            "Коломия",
            "Коломийська міська територіальна громада",
        ),
        (
            hromada("rural", "Агрономічна", "Ahronomichna", "Агрономічне", "Ahronomichne"),
            "Ahronomichne hromada",
            "Ahronomichne hromada",
            "Агрономічна громада",
            "Агрономічна сільська територіальна громада",
        ),
        (
            hromada("settlement", "Брошнів-Осадська", "Broshniv-Osadska", "Брошнів", "Broshniv"),
            "Broshniv hromada",
            "Broshniv hromada",
            "Брошнів-Осадська громада",
            "Брошнів-Осадська селищна територіальна громада",
        ),
    ],
)
def test_hromada_names_in_each_language(row, sv, en, uk, official):
    names = hromada_names(row)
    assert (names["name_sv"], names["name_en"], names["name_uk"]) == (sv, en, uk)
    assert names["official_name"] == official
    assert names["name_latin"] == row["name_latin"]


def test_a_rural_hromada_with_an_exonym_centre_keeps_the_latin_form_in_swedish():
    # Exonyms name cities; a rural hromada around a village of the same name is not the city.
    names = hromada_names(hromada("rural", "Одеська", "Odeska", "Одеса", "Odesa"))
    assert names["name_sv"] == "Odesa hromada"


def test_alternative_spellings_hold_every_name_once_with_the_extra_ones():
    names = hromada_names(hromada("urban", "Херсонська", "Khersonska", "Херсон", "Kherson"))
    assert names["alt_names"].split("\n") == [
        "Херсонська",
        "Khersonska",
        "Херсон",
        "Kherson",
        "Cherson",
        "Kerson",
    ]
    kyiv = hromada_names(hromada("urban", "Київська", "Kyivska", "Київ", "Kyiv"))
    assert {"Kiev", "Kijev", "Киев"} <= set(kyiv["alt_names"].split("\n"))


@pytest.mark.parametrize(
    ("name", "uk", "alt"),
    [
        ("Umeå", "Умео", "Умео"),
        ("Göteborg", "Гетеборг", "Гетеборг\nGothenburg\nGotenburg"),  # and its exonyms
        ("Lidingö", "Лідінге", "Лідінге"),
        ("Upplands Väsby", "Upplands Väsby", ""),  # no established Ukrainian form
    ],
)
def test_kommun_names_use_an_established_ukrainian_form_only_where_there_is_one(name, uk, alt):
    names = kommun_names({"name": name})
    assert names == {
        "name_sv": name,
        "name_en": name,
        "name_uk": uk,
        "official_name": name,
        "name_latin": name,
        "alt_names": alt,
    }


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("Umeå",), "|umea|"),
        (("Херсон", "Kherson", "Cherson"), "|cherson|herson|kherson|"),
        (("Kolomyia", "Kolomyja"), "|kolomia|kolomyia|kolomyja|"),
        (("Upplands Väsby", "2480"), "|2480|uplands vasbi|upplands vasby|"),
        (("", "Falun"), "|falun|"),
        ((), "||"),
    ],
)
def test_search_text_holds_every_folded_and_loose_spelling_once(names, expected):
    assert search_text(*names) == expected


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("Kherson", ["kherson", "herson"]),
        ("Херсон", ["kherson", "herson"]),
        ("VÄXJÖ", ["vaxjo", "vaxio"]),
        ("  falun  ", ["falun"]),
        ("a", []),  # one letter finds too much
        ("", []),
        ("!!", []),
        ("\x00\x01", []),
    ],
)
def test_search_keys(query, keys):
    assert search_keys(query) == keys


def codes(query: str, **kwargs) -> list[str]:
    return [m.code for m in municipality_search(query=query, **kwargs)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Odessa", "UA51100270000073549"),  # Swedish and old spelling
        ("Одеса", "UA51100270000073549"),
        ("Kharkov", "UA63120270000028556"),
        ("Charkiv", "UA63120270000028556"),
        ("Kiev", "UA80000000000093317"),
        ("Киев", "UA80000000000093317"),  # typed on a Russian layout
        ("goteborg", "1480"),
        ("Göteborg", "1480"),
        ("Гетеборг", "1480"),
        ("Malmo", "1280"),
        ("ua80000000000093317", "UA80000000000093317"),  # a code in any case
        ("Upplands Väsby", "0114"),
    ],
)
def test_spelling_variants_find_the_municipality_first(query, code):
    assert codes(query)[0] == code


@pytest.mark.django_db
def test_a_country_narrows_the_search():
    assert codes("Kherson", country="SE") == []
    assert codes("Kherson", country="ua")[0] == "UA65100150000057191"
    assert all(code.startswith("UA") for code in codes("ka", country="UA"))


@pytest.mark.django_db
def test_without_a_query_a_country_lists_its_municipalities_by_name():
    listed = list(municipality_search(query="", country="SE", limit=3))
    assert [m.name for m in listed] == ["Ale", "Alingsås", "Alvesta"]
    assert list(municipality_search(query="", country="")) == []


@pytest.mark.django_db
def test_the_limit_caps_the_results_and_prefix_matches_rank_before_inner_ones():
    assert len(codes("a")) == 0  # one letter
    results = list(municipality_search(query="sala", country="SE", limit=5))
    assert results[0].name == "Sala"  # exact
    assert len(codes("an", limit=7)) == 7


@pytest.mark.django_db
def test_get_by_code_refuses_an_unknown_code():
    assert municipality_get(code="2080").name_sv == "Falun"
    with pytest.raises(Municipality.DoesNotExist):
        municipality_get(code="2080 ")
    with pytest.raises(Municipality.DoesNotExist):
        municipality_get(code="")


@pytest.mark.django_db
def test_the_search_page_refuses_an_unknown_country_and_keeps_the_query(client):
    with translation.override("en"):
        body = client.get("/en/municipalities/", {"q": "Falun", "country": "XX"}).content.decode()
    assert "/en/municipalities/2080/" in body
    body = client.get("/en/municipalities/", {"q": "", "country": "UA"}).content.decode()
    assert "/en/municipalities/UA" in body
    body = client.get("/en/municipalities/", {"country": "XX"}).content.decode()
    assert "/en/municipalities/UA" not in body and "/en/municipalities/2080/" not in body
