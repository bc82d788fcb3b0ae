"""`partnership_public_page` loads a page of partnerships as `partnership_public_list` does,
with the relations from a per-process copy kept per generation: the same facts for every
published partnership, three queries a page, unpublished and unknown ids left out, and a new
generation read afresh (a stale copy is only ever served under the generation it was read in).
"""

import itertools

import pytest

from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Goal, Partnership, Tag
from partnernet.partnerships.projection import public_partnership
from partnernet.partnerships.selectors import partnership_public_list, partnership_public_page

pytestmark = pytest.mark.django_db
_generations = itertools.count()


def generation() -> tuple:
    """A generation no earlier test used (the copy is per process)."""
    return ("test", next(_generations))


def municipality_facts(m: Municipality | None) -> tuple | None:
    if m is None:
        return None
    region = (m.region.pk, m.region.name) if m.region_id else None
    return (m.pk, m.code, m.name, m.name_sv, m.name_en, m.name_uk, region, m.country.code)


def facts(p) -> tuple:
    """What lists, cards, the API and the projection read of a loaded row."""
    return (
        *card_facts(p),
        [g.number for g in p.goals.all()],
        [t.slug for t in p.tags.all()],
    )


def card_facts(p) -> tuple:
    """What the catalogue's cards read (neither goals nor tags)."""
    return (
        p.pk,
        p.slug,
        p.title,
        p.description_en,
        municipality_facts(p.swedish_partner),
        municipality_facts(p.partner),
        (p.area.slug, p.area.name_en, p.area.dac_sector),
        (p.network.slug, p.network.name_sv),
    )


def test_unknown_unpublished_and_no_ids_read_nothing_or_are_left_out(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert partnership_public_page([], generation=generation()) == {}
    hidden = Partnership.objects.exclude(publication="published").first()
    unknown = (Partnership.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 9
    asked = [unknown, -1, *([hidden.pk] if hidden else [])]
    assert partnership_public_page(asked, generation=generation()) == {}


def test_every_published_partnership_reads_as_the_list_loads_it(django_assert_num_queries):
    expected = {p.pk: p for p in partnership_public_list()}
    assert len(expected) >= 3, "the seed network publishes partnerships"
    page = partnership_public_page(list(expected), generation=generation())
    assert set(page) == set(expected)
    with django_assert_num_queries(0):  # every relation is in place
        for pk, row in page.items():
            assert facts(row) == facts(expected[pk])
            assert facts(public_partnership(row)) == facts(public_partnership(expected[pk]))


def test_a_page_costs_three_queries_once_the_copy_holds_its_relations(django_assert_num_queries):
    pks = list(Partnership.objects.published().values_list("pk", flat=True))
    current = generation()
    partnership_public_page(pks, generation=current)
    with django_assert_num_queries(3):  # the rows, their goal links, their tag links
        partnership_public_page(pks, generation=current)


def test_without_goals_and_tags_a_page_is_one_query_and_reads_the_same(
    django_assert_num_queries,
):
    """For cards that show neither: the same facts, their relations other than goals and tags
    without a query, goals and tags read by the row itself when asked for (never wrong)."""
    expected = {p.pk: p for p in partnership_public_list()}
    current = generation()
    partnership_public_page(list(expected), generation=current)
    with django_assert_num_queries(1):
        page = partnership_public_page(list(expected), generation=current, goals_and_tags=False)
    assert set(page) == set(expected)
    with django_assert_num_queries(0):
        for pk, row in page.items():
            assert card_facts(row) == card_facts(expected[pk])
    for pk, row in page.items():
        assert facts(row) == facts(expected[pk])
        assert facts(public_partnership(row)) == facts(public_partnership(expected[pk]))


def test_the_prefetched_goals_and_tags_stay_each_rows_own_when_filtered():
    published = list(Partnership.objects.published().order_by("pk"))
    assert len(published) >= 3
    # Rows whose goals and tags differ (the seed gives every partnership the same ones).
    published[1].goals.set(Goal.objects.filter(number__in=[5, 11]))
    published[2].goals.set([])
    published[2].tags.set(Tag.objects.order_by("-slug")[:1])
    page = partnership_public_page([p.pk for p in published], generation=generation())
    goal_sets = {tuple(g.number for g in row.goals.all()) for row in page.values()}
    assert len(goal_sets) >= 3, goal_sets
    for row in page.values():  # every row, not only the first: each has its own filter
        others = Goal.objects.exclude(partnerships=row).values_list("number", flat=True)
        assert not row.goals.filter(number__in=list(others)).exists()
        assert list(row.goals.filter(number__gt=0).order_by("number")) == list(
            Goal.objects.filter(partnerships=row).order_by("number")
        )
        assert list(row.tags.order_by("slug")) == list(
            Tag.objects.filter(partnerships=row).order_by("slug")
        )
        assert row.tags.count() == Tag.objects.filter(partnerships=row).count()


def test_a_rename_shows_under_a_new_generation_and_never_mixes_rows():
    p = Partnership.objects.published().select_related("swedish_partner").first()
    old = p.swedish_partner.name_en
    current = generation()
    assert partnership_public_page([p.pk], generation=current)[p.pk].swedish_partner.name_en == old
    Municipality.objects.filter(pk=p.swedish_partner_id).update(name_en="Renamed")
    # The same generation promises nothing changed: the copy is kept (the caller's index
    # changes generation on every such write, see catalogue.facets.FacetIndex.vocabulary).
    kept = partnership_public_page([p.pk], generation=current)[p.pk]
    assert kept.swedish_partner.name_en == old
    fresh = partnership_public_page([p.pk], generation=generation())[p.pk]
    assert fresh.swedish_partner.name_en == "Renamed"
    assert fresh.pk == p.pk and fresh.swedish_partner_id == p.swedish_partner_id
