"""An unpublished partnership appears on no public channel.

To cover a new channel (API, open data), add its address to PUBLIC_CHANNELS: each address is
fetched in every language where it has a {lang} prefix, and must not mention the partnership.
"""

import pytest

from partnernet.partnerships.models import Partnership
from partnernet.partnerships.services import partnership_withdraw

PUBLIC_CHANNELS = [
    "/{lang}/",
    "/{lang}/partnerships/",
    "/{lang}/partnerships/?q=Cherson",
    "/{lang}/partnerships/?q=Kherson&area=urban-planning",
    "/{lang}/partnerships/?swedish_partner=2480",
    "/{lang}/partnerships/feed.atom",
    "/{lang}/map/",
    "/{lang}/networks/democratic-resilience/",
    "/{lang}/municipalities/2480/",
    "/sitemap.xml",
]
HIDDEN = "umea-kherson"


@pytest.fixture
def unpublished():
    p = Partnership.objects.get(slug=HIDDEN)
    return partnership_withdraw(partnership=p, actor=None, reason="test")


@pytest.mark.django_db
@pytest.mark.parametrize("channel", PUBLIC_CHANNELS)
@pytest.mark.parametrize("language", ["sv", "uk", "en"])
def test_an_unpublished_partnership_is_absent_from_every_public_channel(
    client, unpublished, channel, language
):
    body = client.get(channel.format(lang=language)).content.decode()
    for text in (HIDDEN, unpublished.title_sv, unpublished.title_en, unpublished.title_uk):
        assert text not in body, f"{text} leaks on {channel}"


@pytest.mark.django_db
def test_its_page_is_not_found(client, unpublished):
    assert client.get(f"/en/partnerships/{HIDDEN}/").status_code == 404


@pytest.mark.django_db
def test_it_counts_in_no_facet(client, unpublished):
    response = client.get("/en/partnerships/")
    urban = [o for g in response.context["facets"] if g.name == "area" for o in g.options]
    assert "urban-planning" not in {o.value for o in urban}


@pytest.mark.django_db
def test_a_private_description_is_neither_shown_nor_searchable(client):
    p = Partnership.objects.get(slug="falun-kolomyia")
    p.private_fields = ["description", "summary"]
    p.save()
    assert p.description_en not in client.get("/en/partnerships/falun-kolomyia/").content.decode()
    body = client.get("/sv/partnerships/", {"q": "avfallshantering"}).content.decode()
    assert "falun-kolomyia" not in body
