import pytest

from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.services import seed_network_load

SLUGS = [
    "falun-kolomyia",
    "karlskrona-chortkiv",
    "lidingo-slavuta",
    "ronneby-ternopil",
    "umea-kherson",
    "vaxjo-kalush",
]


@pytest.mark.django_db
def test_the_seed_network_has_its_six_partnerships_once_even_when_loaded_twice():
    seed_network_load()
    assert sorted(Partnership.objects.values_list("slug", flat=True)) == SLUGS
    # kommuner, hromadas, Kyiv, and the regional governments (21 regions, 24 oblasts)
    assert Municipality.objects.count() == 290 + 1469 + 1 + 21 + 24


@pytest.mark.django_db
def test_seed_partnerships_carry_goals_tags_and_titles_in_three_languages():
    p = Partnership.objects.get(slug="umea-kherson")
    assert sorted(p.goals.values_list("number", flat=True)) == [16, 17]
    assert sorted(p.tags.values_list("slug", flat=True)) == ["democracy", "ukraine"]
    assert (p.title_sv, p.title_en, p.title_uk) == (
        "Umeå och Cherson",
        "Umeå and Kherson",
        "Умео і Херсон",
    )
    assert p.area.slug == "urban-planning" and p.network.slug == "democratic-resilience"


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("language", ["sv", "uk", "en"])
def test_every_partnership_page_answers_in_every_language(client, slug, language):
    response = client.get(f"/{language}/partnerships/{slug}/")
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()
