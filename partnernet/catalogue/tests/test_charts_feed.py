"""The home page's charts (scaled bars, counted from the public index) and the Atom feed, with
private fields: expected values written by hand."""

import pytest

from partnernet.catalogue import facets
from partnernet.catalogue.charts import BAR_HEIGHT, GAP, WIDTH, bars, home_charts
from partnernet.catalogue.facets import index_from_sets
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.services import partnership_field_hide


def test_bars_are_scaled_to_the_largest_count_and_stacked_with_room_for_labels():
    drawn, height = bars([("a", 4, "#111"), ("b", 2, "#222"), ("c", 1, "#333"), ("d", 0, "")])
    assert [b.width for b in drawn] == [WIDTH, WIDTH // 2, round(WIDTH / 4), 2]  # at least 2 px
    step = 18 + BAR_HEIGHT + GAP
    assert [b.y for b in drawn] == [18, 18 + step, 18 + 2 * step, 18 + 3 * step]
    assert height == 4 * step


def test_no_bars_and_only_zero_counts_draw_nothing_wrong():
    assert bars([]) == ([], 0)
    drawn, _ = bars([("a", 0, ""), ("b", 0, "")])
    assert [b.width for b in drawn] == [2, 2]  # no division by zero


@pytest.fixture
def small_index():
    sets = {
        "area": {"water": {1, 2, 3}, "education": {4}},
        "sdg": {16: {1, 2}, 4: {4}},
        "region": {10: {1, 2}, 20: {3}, 30: {1, 4}},
    }
    index = index_from_sets(("test",), sets, ids={1, 2, 3, 4})
    index.__dict__["labels"] = {
        "area": {"water": {"en": "Water", "sv": "Vatten"}, "education": {"sv": "Utbildning"}},
        "sdg": {16: {"en": "Peace"}, 4: {"en": "Education"}},
        "region": {10: {"en": "Dalarna"}, 20: {"en": "Kherson oblast"}, 30: {"en": "Skåne"}},
    }
    index.__dict__["colours"] = {16: "#00689D", 4: "#C5192D"}
    saved = facets._latest.current
    facets._latest.keep(index)
    original = facets.data_version
    facets.data_version = lambda: ("test",)
    yield index
    facets.data_version = original
    facets._latest.keep(saved)


def chart_rows(charts, slug: str) -> list[tuple[str, int, str]]:
    chart = next(c for c in charts if c.slug == slug)
    return [(b.label, b.count, b.colour) for b in chart.bars]


def test_the_charts_count_the_public_index(small_index):
    charts = home_charts("en")
    assert chart_rows(charts, "areas") == [("Water", 3, "#0b5394"), ("Utbildning", 1, "#0b5394")]
    assert chart_rows(charts, "goals") == [
        ("4. Education", 1, "#C5192D"),
        ("16. Peace", 2, "#00689D"),
    ]
    assert chart_rows(charts, "regions") == [
        ("Dalarna", 2, "#1e6b35"),
        ("Skåne", 2, "#1e6b35"),
        ("Kherson oblast", 1, "#1e6b35"),
    ]


def test_chart_labels_follow_the_reader(small_index):
    assert chart_rows(home_charts("sv"), "areas")[0][0] == "Vatten"


@pytest.mark.django_db
def test_a_private_partner_adds_nothing_to_its_region():
    kherson = Partnership.objects.get(slug="umea-kherson").partner.region
    before = {b.label: b.count for b in home_charts("en")[2].bars}
    assert before[kherson.name_en] == 1
    p = Partnership.objects.get(slug="umea-kherson")
    partnership_field_hide(partnership=p, field="partner", reason="safety", actor=None)
    after = {b.label: b.count for b in home_charts("en")[2].bars}
    assert kherson.name_en not in after
    assert after[p.swedish_partner.region.name_en] == before[p.swedish_partner.region.name_en]


@pytest.mark.django_db
def test_the_feed_names_no_private_partner(client):
    p = Partnership.objects.get(slug="umea-kherson")
    partnership_field_hide(partnership=p, field="partner", reason="safety", actor=None)
    body = client.get("/en/partnerships/feed.atom").content.decode()
    assert "Kherson" not in body and "umea-kherson" not in body
    assert f"/en/partnerships/umea-partnership-{p.pk}/" in body
    assert body.count("<entry>") == 6


@pytest.mark.django_db
def test_the_feed_escapes_markup_in_names(client):
    from partnernet.municipalities.models import Municipality

    Municipality.objects.filter(code="2080").update(name_en="<script>x</script>Falun")
    body = client.get("/en/partnerships/feed.atom").content.decode()
    assert "<script>" not in body and "&lt;script&gt;x&lt;/script&gt;Falun" in body
