"""The registry's search meets people's words: exact and prefix matches of a name first, no
fuzzy noise, exonyms and historical names, regions by their names. The query plan is pure and
tested without a database; the searches run on the bundled registry. Expected codes are
written by hand."""

from types import SimpleNamespace

import pytest
from django.test import Client

from partnernet.municipalities.names import display_name, oblast_names, other_spellings
from partnernet.municipalities.selectors import SearchPlan, municipality_search, search_plan

KYIV = "UA80000000000093317"
KYIV_OBLAST = "UA32000000000030281"
KHARKIV = "UA63120270000028556"
KIVERTSI = "UA07080110000043895"
LVIV = "UA46060250000025047"
MYKOLAIV_CITY = "UA48060150000071713"
MYKOLAIV_TOWN = "UA46100110000018989"  # a small town of the same name in Lviv oblast
GOTEBORG = "1480"
VASTERBOTTEN = "SE24"


@pytest.mark.parametrize(
    ("query", "plan"),
    [
        # a short loose key ("kiv") counts only as a whole name: never the start of Kivertsi
        ("Kyiv", SearchPlan("KYIV", ("kyiv", "kiv"), (("kyiv",),), ("kyiv",))),
        # a longer one may also begin a name in another transliteration
        (
            "Kolomij",
            SearchPlan("KOLOMIJ", ("kolomij", "kolomi"), (("kolomij",), ("kolomi",)), ("kolomij",)),
        ),
        ("Ky", SearchPlan("KY", ("ky", "ki"), (("ky",),), ())),  # too short to match inside
        ("  2480 ", SearchPlan("2480", ("2480",), (("2480",),), ("2480",))),
    ],
)
def test_the_query_plan(query, plan):
    assert search_plan(query) == plan


@pytest.mark.parametrize("query", ["", "a", "!!", "\x00\x01"])
def test_a_query_too_short_plans_nothing(query):
    assert search_plan(query) is None


def test_the_place_names_table_gives_exonyms_and_historical_names():
    assert other_spellings("Lviv") == ["Lemberg", "Lwów", "Lvov", "Львов"]
    assert other_spellings("Göteborg") == ["Gothenburg", "Gotenburg"]
    # a name two places share: the spelling belongs to the one it names
    assert other_spellings("Mykolaiv", MYKOLAIV_CITY) == ["Nikolajev", "Nikolayev", "Николаев"]
    assert other_spellings("Mykolaiv", MYKOLAIV_TOWN) == []
    assert other_spellings("Falun") == []


@pytest.mark.parametrize(
    ("adjective_uk", "adjective_latin", "uk", "sv", "en"),
    [
        (
            "Івано-Франківська",
            "Ivano-Frankivska",
            "Івано-Франківська область",
            "Ivano-Frankivsk oblast",
            "Ivano-Frankivsk Oblast",
        ),
        ("Херсонська", "Khersonska", "Херсонська область", "Cherson oblast", "Kherson Oblast"),
        ("Волинська", "Volynska", "Волинська область", "Volyn oblast", "Volyn Oblast"),
        ("Вінницька", "Vinnytska", "Вінницька область", "Vinnytsia oblast", "Vinnytsia Oblast"),
    ],
)
def test_oblasts_are_named_by_their_noun_not_the_adjective(
    adjective_uk, adjective_latin, uk, sv, en
):
    names = oblast_names(adjective_uk, adjective_latin)
    assert (names["name_uk"], names["name_sv"], names["name_en"]) == (uk, sv, en)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("uk", "Умео"), ("sv", "Umeå"), ("en", "Umeå")],
)
def test_display_name_follows_the_reader(language, expected):
    umea = SimpleNamespace(name="Umeå", name_sv="Umeå", name_en="Umeå", name_uk="Умео")
    assert display_name(umea, language) == expected


def test_display_name_falls_back_when_a_language_is_missing():
    cahul = SimpleNamespace(name="Cahul", name_sv="Cahul", name_en="", name_uk="")
    assert display_name(cahul, "uk") == "Cahul"
    assert display_name(cahul, "en") == "Cahul"


def codes(query: str, **kwargs) -> list[str]:
    return [m.code for m in municipality_search(query=query, **kwargs)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Kyiv", KYIV),
        ("Київ", KYIV),
        ("Kiev", KYIV),
        ("Kiew", KYIV),
        ("Gothenburg", GOTEBORG),
        ("gothenburg", GOTEBORG),
        ("Lemberg", LVIV),
        ("Lwów", LVIV),
        ("Львов", LVIV),
        ("Nikolajev", MYKOLAIV_CITY),
        ("Nikolayev", MYKOLAIV_CITY),
        ("Region Västerbotten", VASTERBOTTEN),
        ("Västerbotten", VASTERBOTTEN),
        ("Kyiv Oblast", KYIV_OBLAST),
        ("Київська область", KYIV_OBLAST),
        ("Kyivska oblast", KYIV_OBLAST),
    ],
)
def test_names_exonyms_and_historical_names_find_the_place_first(query, first):
    assert codes(query)[0] == first


@pytest.mark.django_db
def test_kyiv_finds_kyiv_first_and_no_unrelated_fuzzy_hit():
    found = codes("Kyiv")
    assert found[:2] == [KYIV, KYIV_OBLAST]  # the city, then the oblast that begins with it
    assert KHARKIV not in found and KIVERTSI not in found  # "kiv" alone is not Kyiv
    for municipality in municipality_search(query="Kyiv"):
        assert "kyiv" in municipality.search_text  # every hit holds the word itself


@pytest.mark.django_db
def test_a_historical_name_is_the_one_place_it_names():
    assert MYKOLAIV_TOWN not in codes("Nikolajev")
    assert set(codes("Mykolaiv")[:2]) == {MYKOLAIV_CITY, MYKOLAIV_TOWN}  # both are Mykolaiv


@pytest.mark.django_db
def test_exact_names_come_before_names_that_begin_with_the_query():
    found = codes("Lviv")
    assert found[0] == LVIV
    assert found.index(LVIV) < found.index("UA46000000000026241")  # Lviv Oblast begins with it


@pytest.mark.django_db
def test_the_ukrainian_page_shows_a_hromadas_latin_name_and_the_oblast_by_its_noun():
    page = Client().get("/uk/municipalities/?q=Kolomyia").content.decode()
    assert "Коломия" in page and "(Kolomyia)" in page
    assert "Івано-Франківська область" in page
    english = Client().get("/en/municipalities/?q=Kolomyia").content.decode()
    assert "Ivano-Frankivsk Oblast" in english and "Ivano-Frankivska oblast" not in english
    swedish = Client().get("/sv/municipalities/?q=Kherson").content.decode()
    assert "Cherson" in swedish and "Cherson oblast" in swedish
