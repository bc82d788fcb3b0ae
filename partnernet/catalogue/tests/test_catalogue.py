import re

import pytest

from partnernet.catalogue.filters import CatalogueQuery
from partnernet.catalogue.selectors import catalogue_facets, catalogue_partnerships
from partnernet.partnerships.services import partnership_withdraw


def slugs(response) -> list[str]:
    return re.findall(r'<h3><a href="/\w\w/partnerships/([^/]+)/', response.content.decode())


def counts(facets, name) -> dict:
    return {o.value: o.count for o in facets[name]}


@pytest.mark.django_db
def test_goal_and_swedish_partner_give_umea_kherson_and_counts_agree(client):
    response = client.get("/en/partnerships/?sdg=16&swedish_partner=2480")
    assert slugs(response) == ["umea-kherson"]
    facets = response.context["facets"]
    by_name = {group.name: {o.value: o.count for o in group.options} for group in facets}
    assert by_name["area"] == {"urban-planning": 1}
    assert by_name["sdg"][16] == 1 and by_name["sdg"][17] == 1
    assert by_name["swedish_partner"]["2480"] == 1 and len(by_name["swedish_partner"]) == 6


@pytest.mark.django_db
def test_area_education_gives_exactly_karlskrona_and_lidingo(client):
    assert slugs(client.get("/en/partnerships/?area=education")) == [
        "karlskrona-chortkiv",
        "lidingo-slavuta",
    ]


@pytest.mark.django_db
def test_facet_counts_reflect_the_other_filters_but_not_their_own():
    facets = catalogue_facets(CatalogueQuery.from_params({"area": ["education"]}))
    assert counts(facets, "area")["technical-services-infrastructure"] == 2
    assert counts(facets, "sdg") == {16: 2, 17: 2}


@pytest.mark.django_db
def test_values_of_one_facet_are_alternatives_and_facets_combine():
    query = CatalogueQuery.from_params({"area": ["education", "urban-planning"], "country": ["UA"]})
    assert catalogue_partnerships(query).count() == 3


@pytest.mark.django_db
def test_bad_parameters_still_show_a_page(client):
    response = client.get("/sv/partnerships/?sdg=99&page=abc&sort=evil&year=x")
    assert response.status_code == 200 and len(slugs(response)) == 6


@pytest.mark.django_db
def test_htmx_requests_get_the_results_fragment_only(client):
    response = client.get("/en/partnerships/?area=education", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.startswith('<div id="catalogue"') and "<html" not in body


@pytest.mark.django_db
def test_language_links_keep_the_filters(client):
    body = client.get("/en/partnerships/?area=education").content.decode()
    assert 'href="/sv/partnerships/?area=education"' in body


@pytest.mark.django_db
def test_catalogue_page_spends_a_constant_number_of_queries(client, django_assert_max_num_queries):
    client.get("/en/partnerships/?q=water")  # the public index, its labels, the embeddings
    # the data version, the word search (two on SQLite), one page of rows, their goals and tags
    with django_assert_max_num_queries(6):
        client.get("/en/partnerships/?q=education&area=education&sdg=16")
    with django_assert_max_num_queries(4):
        client.get("/en/partnerships/?sort=-start&page=2&area=education")
    with django_assert_max_num_queries(4):
        client.get("/en/map/?area=education")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "uk", "en"])
def test_public_pages_answer_in_every_language(client, language):
    for path in (
        "",
        "partnerships/",
        "map/",
        "networks/democratic-resilience/",
        "partnerships/feed.atom",
        "municipalities/2080/",
    ):
        assert client.get(f"/{language}/{path}").status_code == 200, path


@pytest.mark.django_db
def test_a_missing_translation_is_announced_and_the_original_shown(client):
    from partnernet.partnerships.models import Partnership

    p = Partnership.objects.get(slug="vaxjo-kalush")
    p.description_uk = ""
    p.save()
    body = client.get("/uk/partnerships/vaxjo-kalush/").content.decode()
    assert 'class="notice"' in body and p.description_sv in body


@pytest.mark.django_db
def test_sitemap_lists_pages_with_hreflang_alternates(client):
    body = client.get("/sitemap.xml").content.decode()
    assert 'hreflang="uk" href="http://testserver/uk/partnerships/umea-kherson/"' in body
    # x-default: the address without a language, which sends each reader to their own
    assert 'hreflang="x-default" href="http://testserver/partnerships/umea-kherson/"' in body
    chosen = client.get("/partnerships/umea-kherson/", HTTP_ACCEPT_LANGUAGE="uk")
    assert chosen.status_code == 302 and chosen["Location"] == "/uk/partnerships/umea-kherson/"


@pytest.mark.django_db
def test_pages_carry_canonical_hreflang_and_open_graph_tags(client):
    body = client.get("/uk/partnerships/umea-kherson/?utm=x").content.decode()
    assert '<link rel="canonical" href="http://testserver/uk/partnerships/umea-kherson/">' in body
    assert 'hreflang="sv" href="http://testserver/sv/partnerships/umea-kherson/?utm=x"' in body
    assert '<meta property="og:title" content="Умео і Херсон">' in body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "uk", "en"])
def test_the_atom_feed_lists_published_partnerships_in_the_language(client, language):
    response = client.get(f"/{language}/partnerships/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert response.content.decode().count("<entry>") == 6


@pytest.mark.django_db
def test_home_page_charts_are_accessible_svg_with_tables(client):
    body = client.get("/en/").content.decode()
    assert body.count('<svg role="img" aria-labelledby=') == 3
    assert '<title id="chart-areas-title">Partnerships by cooperation area</title>' in body
    assert '<th scope="row">Education</th><td>2</td>' in body


@pytest.mark.django_db
def test_a_repeated_page_comes_from_the_cache_until_the_data_changes(
    client, django_assert_max_num_queries
):
    from partnernet.partnerships.models import Partnership

    client.get("/en/partnerships/?area=education")
    with django_assert_max_num_queries(1):
        assert client.get("/en/partnerships/?area=education").status_code == 200
    Partnership.objects.filter(slug="lidingo-slavuta").get().save()
    p = Partnership.objects.get(slug="lidingo-slavuta")
    partnership_withdraw(partnership=p, actor=None, reason="test")
    assert slugs(client.get("/en/partnerships/?area=education")) == ["karlskrona-chortkiv"]


@pytest.mark.django_db
def test_reindex_command_rebuilds_every_document():
    from io import StringIO

    from django.core.management import call_command

    from partnernet.catalogue.models import SearchDocument

    SearchDocument.objects.all().delete()
    out = StringIO()
    call_command("reindex_catalogue", stdout=out)
    assert SearchDocument.objects.count() == 6 and "6" in out.getvalue()


@pytest.mark.django_db
def test_a_history_restore_gets_the_whole_page(client):
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
    body = client.get("/en/partnerships/?area=education", **headers).content.decode()
    assert "<html" in body
