import pytest
from django.utils import translation

from partnernet.municipalities.selectors import municipality_search


def first(query: str) -> str:
    return municipality_search(query=query)[0].code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Херсон", "UA65100150000057191"),
        ("Kherson", "UA65100150000057191"),
        ("Cherson", "UA65100150000057191"),
        ("vaxjo", "0780"),
        ("VÄXJÖ", "0780"),
        ("lidingo", "0186"),
        ("Коломия", "UA26080070000092582"),
        ("Kolomyia", "UA26080070000092582"),
        ("kolomyja", "UA26080070000092582"),
        ("Kyiv", "UA80000000000093317"),
        ("Київ", "UA80000000000093317"),
        ("2080", "2080"),
        ("umea", "2480"),
        ("Чортків", "UA61060430000094264"),
    ],
)
def test_any_spelling_script_or_transliteration_finds_the_municipality(query, code):
    assert first(query) == code


@pytest.mark.django_db
def test_exact_matches_come_before_prefix_matches():
    codes = [m.name_en for m in municipality_search(query="Kalush")]
    assert codes[0] == "Kalush"


@pytest.mark.django_db
def test_nonsense_and_empty_queries_find_nothing():
    assert list(municipality_search(query="")) == []
    assert list(municipality_search(query="\x00\x01")) == []
    assert list(municipality_search(query="qqqzzzxxx")) == []


@pytest.mark.django_db
def test_search_page_shows_the_municipality_in_each_language(client):
    for language, name in (("sv", "Cherson"), ("en", "Kherson"), ("uk", "Херсон")):
        with translation.override(language):
            response = client.get(f"/{language}/municipalities/", {"q": "Херсон"})
        assert response.status_code == 200
        assert name in response.content.decode()


@pytest.mark.django_db
def test_search_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/en/municipalities/", {"q": "a"})


@pytest.mark.django_db
def test_municipality_page_by_official_code(client):
    assert client.get("/en/municipalities/2080/").status_code == 200
    assert "Коломийська" in client.get("/uk/municipalities/UA26080070000092582/").content.decode()
    assert client.get("/en/municipalities/9999/").status_code == 404
