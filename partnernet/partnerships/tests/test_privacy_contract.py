"""The privacy contract: every privatisable field × every public channel.

For each field a seed partnership (Umeå–Kherson) is given a value found nowhere else in the
network, the field is marked private, and every public channel is read: the value appears in
none of them and every answer is 2xx. Query channels (search, filters, sorting) must not find
the partnership by the hidden value. The expected outcomes are written here by hand, not read
from the projection; and before hiding, each value is shown to be visible in at least one
channel, so the test fails when it checks nothing.
"""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from partnernet.catalogue.models import SearchDocument
from partnernet.catalogue.plan import query_plan
from partnernet.catalogue.search_index import lexical_ids
from partnernet.catalogue.services import search_document_update
from partnernet.partnerships.models import PRIVATISABLE_FIELDS, Partnership, Tag

pytestmark = pytest.mark.django_db

SLUG = "umea-kherson"
KHERSON = "UA65100150000057191"
UMEA = "2480"
SECRET_SUMMARY = "Zephyrquill brigades"
SECRET_DESCRIPTION = "Quorvantic lattice"
SECRET_TAG = ("obsidianwharf", "Obsidianwharf", "Obsidianwharf", "Обсидіанверф")

# The page and data channels the public reads, in every language where the channel has one.
PAGES = [
    "/{lang}/",
    "/{lang}/partnerships/",
    "/{lang}/partnerships/?sort=partner",
    "/{lang}/partnerships/?sort=-start",
    "/{lang}/partnerships/?page=1&network=democratic-resilience",
    "/{lang}/partnerships/feed.atom",
    "/{lang}/networks/democratic-resilience/",
    "/{lang}/map/",
    "/{lang}/map/data.geojson",
    f"/{{lang}}/map/data.geojson?swedish_partner={UMEA}&area=urban-planning",
    f"/{{lang}}/municipalities/{UMEA}/",
    "/sitemap.xml",
    "/api/v1/partnerships?lang={lang}",
    "/api/v1/partnerships?lang={lang}&page_size=100&sort=partner",
    "/api/v1/networks?lang={lang}",
    "/open-data/partnerships.csv",
    "/open-data/partnerships.json",
    "/open-data/iati-activities.xml",
    "/open-data/iati-organisation.xml",
    "/open-data/datapackage.json",
    "/open-data/results.csv",
    "/open-data/results.json",
    "/open-data/finances.csv",
    "/open-data/finances.json",
]
LANGS = ("sv", "uk", "en")


def secret_values() -> dict[str, list[str]]:
    """What each field holds on the target, as it would be written in any channel."""
    return {
        "partner": ["Kherson", "Херсон", "Cherson", KHERSON, "kherson", "Херсонськ"],
        "summary": [SECRET_SUMMARY, "Zephyrquill"],
        "description": [SECRET_DESCRIPTION, "Quorvantic"],
        "tags": [*SECRET_TAG],
        "start_date": ["2019-03-07", "2019"],
        "end_date": ["2031-09-13", "2031"],
        "granted_amount": ["987654", "987 654", "987,654", "987\xa0654"],
    }


# Query channels: asked for the hidden value, they must not find the partnership.
def queries(field: str) -> list[str]:
    return {
        "partner": [
            f"/sv/partnerships/?partner={KHERSON}",
            "/sv/partnerships/?q=Kherson",
            "/uk/partnerships/?q=Херсон",
            f"/api/v1/partnerships?partner={KHERSON}",
            "/api/v1/partnerships?q=Kherson",
            f"/sv/municipalities/{KHERSON}/",
            f"/sv/map/data.geojson?partner={KHERSON}",
        ],
        "summary": ["/en/partnerships/?q=Zephyrquill", "/api/v1/partnerships?q=Zephyrquill"],
        "description": ["/en/partnerships/?q=Quorvantic", "/api/v1/partnerships?q=Quorvantic"],
        "tags": [
            "/sv/partnerships/?tag=obsidianwharf",
            "/en/partnerships/?q=Obsidianwharf",
            "/api/v1/partnerships?tag=obsidianwharf",
        ],
        "start_date": ["/sv/partnerships/?year=2019", "/api/v1/partnerships?year=2019"],
        "end_date": [],
        "granted_amount": [],
    }[field]


def prepare() -> Partnership:
    """Unique values on the target, so a leak cannot hide behind another partnership's."""
    p = Partnership.objects.get(slug=SLUG)
    p.summary_en = f"{SECRET_SUMMARY} rebuild the water works."
    p.summary_sv = f"{SECRET_SUMMARY} bygger om vattenverket."
    p.summary_uk = f"{SECRET_SUMMARY} відбудовують водоканал."
    p.description_en = f"{SECRET_DESCRIPTION} for the school district."
    p.description_sv = f"{SECRET_DESCRIPTION} för skolområdet."
    p.description_uk = f"{SECRET_DESCRIPTION} для шкільного округу."
    p.start_date, p.end_date = date(2019, 3, 7), date(2031, 9, 13)
    p.granted_amount = Decimal(987654)
    p.save()
    slug, sv, en, uk = SECRET_TAG
    tag = Tag.objects.create(slug=slug, name=sv, name_sv=sv, name_en=en, name_uk=uk)
    p.tags.add(tag)
    return p


def hide(p: Partnership, field: str) -> None:
    Partnership.objects.filter(pk=p.pk).update(private_fields=[field])
    search_document_update(partnership_id=p.pk)
    cache.clear()


def read(url: str) -> str:
    response = Client().get(url)
    assert 200 <= response.status_code < 300, (url, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    if "json" in response.get("Content-Type", ""):
        text = json.dumps(json.loads(text), ensure_ascii=False)  # \u escapes hide nothing
    return text


def every_page() -> dict[str, str]:
    urls = {u.format(lang=lang) for u in PAGES for lang in LANGS}
    return {url: read(url) for url in sorted(urls)}


def found(values: list[str], pages: dict[str, str]) -> list[tuple[str, str]]:
    return [(v, url) for url, text in pages.items() for v in values if v.lower() in text.lower()]


def target_markers(p: Partnership) -> list[str]:
    """How a response would show that the target was found: its stored and public addresses."""
    return [f"/partnerships/{SLUG}/", f"umea-partnership-{p.pk}", f'"slug": "{SLUG}"']


def test_every_privatisable_field_is_in_the_contract():
    assert set(secret_values()) == set(PRIVATISABLE_FIELDS)


@pytest.mark.parametrize("field", PRIVATISABLE_FIELDS)
def test_a_private_value_appears_in_no_public_channel(field):
    p = prepare()
    cache.clear()
    visible = found(secret_values()[field], every_page())
    assert visible, f"{field}: the unique value should be public before hiding (checks nothing)"
    for url in queries(field):
        assert any(m in read(url) for m in target_markers(p)), f"{url} finds nothing before"
    hide(p, field)
    assert found(secret_values()[field], every_page()) == []
    for url in queries(field):
        if "q=" in url:
            # Search may still list it by meaning (the embedding holds only public text, and
            # a made-up word lands near anything); no token of the value matches.
            word = url.rsplit("q=", 1)[1]
            assert p.pk not in lexical_ids(query_plan(word)), url
            read(url)
        else:
            assert not any(m in read(url) for m in target_markers(p)), url
    document = SearchDocument.objects.get(pk=p.pk)
    tokens = f"{document.names} {document.body}".lower()
    words = [v.lower() for v in secret_values()[field] if v.isalpha()]
    assert not [w for w in words if w[:5] in tokens], (field, tokens)


def test_a_private_partner_moves_the_address_and_leaves_the_title_neutral():
    p = prepare()
    hide(p, "partner")
    assert Client().get(f"/sv/partnerships/{SLUG}/").status_code == 404
    assert Client().get(f"/api/v1/partnerships/{SLUG}").status_code == 404
    page = read(f"/en/partnerships/umea-partnership-{p.pk}/")
    assert "Umeå and a partner in Ukraine" in page
    assert "Umeå och en partner i Ukraina" in read(f"/sv/partnerships/umea-partnership-{p.pk}/")
    assert "Умео і партнер в Україні" in read(f"/uk/partnerships/umea-partnership-{p.pk}/")
    other = Partnership.objects.get(slug="falun-kolomyia").pk
    assert Client().get(f"/sv/partnerships/umea-partnership-{other}/").status_code == 404


def test_a_private_partner_is_not_counted_in_the_figures():
    p = prepare()
    before = read("/en/")
    hide(p, "partner")
    after = read("/en/")
    assert before != after
    assert KHERSON not in after


def test_a_private_partner_is_not_named_in_the_activities_the_public_reads():
    """The workspace's done, public activities on the public page: their title, place and
    short report go through the projection's scrubber, in every language."""
    from partnernet.workspace.models import Activity

    p = prepare()
    Activity.objects.create(
        partnership=p,
        kind="visit",
        travelling_side="swedish",
        title="Umeå besöker Kherson",
        starts_on=date(2025, 5, 5),
        place="Kherson",
        status="done",
        report="Vi träffade Khersons kommunfullmäktige och Херсонська міська рада.",
        report_language="sv",
        is_public=True,
    )
    cache.clear()
    before = read(f"/sv/partnerships/{SLUG}/")
    assert "Khersons kommunfullmäktige" in before and "Umeå besöker Kherson" in before
    hide(p, "partner")
    for lang in LANGS:
        page = read(f"/{lang}/partnerships/umea-partnership-{p.pk}/")
        assert found(secret_values()["partner"], {lang: page}) == [], lang
        assert "Umeå" in page
    page = read(f"/sv/partnerships/umea-partnership-{p.pk}/")
    assert "Vi träffade partnerkommunen" in page
