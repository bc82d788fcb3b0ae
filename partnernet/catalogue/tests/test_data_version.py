import pytest

from partnernet.catalogue.facets import data_version
from partnernet.partnerships.models import Partnership, Tag


@pytest.mark.django_db
def test_every_kind_of_write_changes_the_catalogue_version():
    seen = {data_version()}
    Partnership.objects.filter(slug="umea-kherson").update(summary_en="Changed by a bulk update")
    seen.add(data_version())
    Tag.objects.filter(slug="ukraine").update(name_en="Ukraine (renamed)")
    seen.add(data_version())
    Partnership.objects.get(slug="falun-kolomyia").goals.clear()
    seen.add(data_version())
    assert len(seen) == 4


@pytest.mark.django_db
def test_a_cached_catalogue_page_never_outlives_a_bulk_unpublication(client):
    assert "Umeå and Kherson" in client.get("/en/partnerships/").content.decode()
    Partnership.objects.filter(slug="umea-kherson").update(publication="withdrawn")
    assert "Umeå and Kherson" not in client.get("/en/partnerships/").content.decode()


@pytest.mark.django_db
def test_a_renamed_tag_shows_at_once_on_a_cached_page(client):
    client.get("/en/partnerships/")
    Tag.objects.filter(slug="democracy").update(name_en="Democracy and rule of law")
    assert "Democracy and rule of law" in client.get("/en/partnerships/").content.decode()
