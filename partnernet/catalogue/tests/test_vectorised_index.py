"""The vectorised facet index against a naive oracle: today's set-based selectors (before the
index kept numpy arrays), copied here and run over the public projections of generated data.
Filters, counts, sort orders and text-ranked ids must agree exactly; a patched index must
answer as a rebuilt one; concurrent misses of one version build once."""

import random
import threading
import time
from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone, translation
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from partnernet.catalogue import facets
from partnernet.catalogue.facets import FACETS, facet_index
from partnernet.catalogue.filters import MULTI, SORTS, CatalogueQuery
from partnernet.catalogue.selectors import catalogue_facets, catalogue_ids
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Goal, Network, Partnership, Tag
from partnernet.partnerships.selectors import partnership_public_list, partnerships_public

LANGUAGES = ("sv", "en", "uk")
# Few letters, so that titles tie and the address decides; case and diacritics, so that
# casefolding and code-point order matter.
LETTERS = "aAbBäÄéz "
PRIVATE = ("partner", "start_date", "tags", "summary")
STARTS = (None, date(2020, 1, 1), date(2021, 6, 1), date(2021, 6, 1), date(2023, 2, 3))


# ---- the oracle: today's set-based selectors, over the public projections -----------------


def _fold(text):
    return (text or "").casefold()


def _names(m):
    return {lang: _fold(getattr(m, f"name_{lang}")) for lang in LANGUAGES}


def oracle():
    sets: dict[str, dict] = {name: {} for name in FACETS}
    keys: dict[int, dict] = {}
    for p in partnerships_public(partnership_public_list().order_by()):
        partner = p.partner
        values = {
            "country": p.partner_country.code,
            "swedish_partner": p.swedish_partner.code,
            "partner": partner.code if partner else None,
            "area": p.area.slug,
            "network": p.network.slug,
            "phase": p.phase,
            "status": p.status,
            "year": p.start_date.year if p.start_date else None,
            "region": p.swedish_partner.region_id,
        }
        for name, value in values.items():
            if value is not None:
                sets[name].setdefault(value, set()).add(p.pk)
        if partner and partner.region_id:
            sets["region"].setdefault(partner.region_id, set()).add(p.pk)
        for goal in p.goals.all():
            sets["sdg"].setdefault(goal.number, set()).add(p.pk)
        for tag in p.tags.all():
            sets["tag"].setdefault(tag.slug, set()).add(p.pk)
        keys[p.pk] = {
            "titles": {lang: _fold(getattr(p, f"title_{lang}")) for lang in LANGUAGES},
            "start": p.start_date,
            "swedish": _names(p.swedish_partner),
            "partner": _names(partner) if partner else None,
            "slug": p.slug,
        }
    return sets, keys


def oracle_sorted(keys, ids, sort, language):
    def title(pk):
        k = keys[pk]
        return (k["titles"].get(language) or k["titles"]["sv"], k["slug"])

    def name(names):
        return (names.get(language) or names.get("sv") or "") if names else ""

    if sort == "swedish_partner":
        return sorted(ids, key=lambda pk: (name(keys[pk]["swedish"]), *title(pk)))
    if sort == "partner":
        return sorted(
            ids, key=lambda pk: (keys[pk]["partner"] is None, name(keys[pk]["partner"]), *title(pk))
        )
    if sort in ("start", "-start"):
        starts = {pk: s for pk in ids if (s := keys[pk]["start"]) is not None}
        dated = sorted(starts, key=lambda pk: (starts[pk], keys[pk]["slug"]))
        if sort == "-start":
            dated = sorted(dated, key=lambda pk: starts[pk], reverse=True)
        return dated + sorted((pk for pk in ids if not keys[pk]["start"]), key=title)
    return sorted(ids, key=title)


def oracle_union(sets, name, values):
    result = set()
    for value in values:
        result |= sets[name].get(value, set())
    return result


def oracle_ids(sets, keys, query, ranked, language):
    ids = set(keys)
    for name, values in query.active_filters().items():
        ids &= oracle_union(sets, name, values)
    if query.q:
        if query.sort in ("", "relevance"):
            return [pk for pk in dict.fromkeys(ranked) if pk in ids]
        ids &= set(ranked)
    sort = "title" if query.sort in ("", "relevance") else query.sort
    return oracle_sorted(keys, ids, sort, language)


def oracle_counts(sets, keys, query, matching):
    base = set(keys) if matching is None else set(keys) & matching
    active = query.active_filters()
    chosen = {name: oracle_union(sets, name, values) for name, values in active.items()}
    result = {}
    for name in MULTI:
        allowed = base.copy()
        for other, ids in chosen.items():
            if other != name:
                allowed &= ids
        selected = set(active.get(name, ()))
        result[name] = {
            value: (len(ids & allowed), value in selected)
            for value, ids in sets[name].items()
            if ids & allowed or value in selected
        }
    return result


def answers(query, ranked, language):
    """What the index answers: ids in order, and per facet value → (count, selected)."""
    with translation.override(language):
        ids = catalogue_ids(query, ranked=ranked)
        options = catalogue_facets(query, matching=set(ranked) if query.q else None)
    counts = {
        name: {o.value: (o.count, o.selected) for o in opts} for name, opts in options.items()
    }
    for name in ("sdg", "year", "phase", "status"):
        assert [o.value for o in options[name]] == sorted(o.value for o in options[name])
    for name in ("country", "swedish_partner", "partner", "area", "tag", "network"):
        assert [o.count for o in options[name]] == sorted(
            (o.count for o in options[name]), reverse=True
        )
    return ids, counts


# ---- generated data --------------------------------------------------------------------


@pytest.fixture
def pools():
    return {
        "swedish": list(Municipality.objects.filter(country_id="SE").order_by("code")[:4]),
        "partner": list(Municipality.objects.exclude(country_id="SE").order_by("code")[:5]),
        "network": list(Network.objects.order_by("slug")),
        "area": list(CooperationArea.objects.order_by("slug")[:3]),
        "goal": list(Goal.objects.order_by("number")[:4]),
        "tag": list(Tag.objects.order_by("slug")[:3]),
    }


text = st.text(LETTERS, max_size=4)
row = st.fixed_dictionaries(
    {
        "swedish": st.integers(0, 3),
        "partner": st.integers(0, 4),
        "network": st.integers(0, 10),
        "area": st.integers(0, 2),
        "goals": st.sets(st.integers(0, 3)),
        "tags": st.sets(st.integers(0, 2)),
        "phase": st.sampled_from(Partnership.Phase.values),
        "status": st.sampled_from(Partnership.Status.values),
        "start": st.sampled_from(STARTS),
        "titles": st.tuples(text.filter(bool), text, text),
        "private": st.sets(st.sampled_from(PRIVATE)),
        "published": st.booleans(),
    }
)
FILTERED = ("country", "swedish_partner", "partner", "area", "sdg", "tag", "phase", "year")


def pick(pools, name: str, k: int):
    return pools[name][k % len(pools[name])]


def create(pools, rows) -> list[Partnership]:
    made, pairs = [], set()
    for k, r in enumerate(rows):
        network = pick(pools, "network", r["network"])
        key = (
            r["swedish"] % len(pools["swedish"]),
            r["partner"] % len(pools["partner"]),
            network.pk,
        )
        if key in pairs:
            continue
        pairs.add(key)
        sv, en, uk = r["titles"]
        p = Partnership.objects.create(
            slug=f"gen-{k}-{random.randrange(10**6)}",
            title=sv,
            title_sv=sv,
            title_en=en,
            title_uk=uk,
            swedish_partner=pick(pools, "swedish", r["swedish"]),
            partner=pick(pools, "partner", r["partner"]),
            network=network,
            area=pick(pools, "area", r["area"]),
            phase=r["phase"],
            status=r["status"],
            start_date=r["start"],
            publication="published" if r["published"] else "draft",
            published_at=timezone.now() if r["published"] else None,
            private_fields=sorted(r["private"]),
        )
        p.goals.set({pick(pools, "goal", g) for g in r["goals"]})
        p.tags.set({pick(pools, "tag", t) for t in r["tags"]})
        made.append(p)
    return made


def queries(pools):
    values = {
        "country": st.sampled_from([m.country_id for m in pools["partner"]] + ["SE", "XX"]),
        "swedish_partner": st.sampled_from([m.code for m in pools["swedish"]]),
        "partner": st.sampled_from([m.code for m in pools["partner"]]),
        "area": st.sampled_from([a.slug for a in pools["area"]] + ["nowhere"]),
        "sdg": st.sampled_from([g.number for g in pools["goal"]]),
        "tag": st.sampled_from([t.slug for t in pools["tag"]]),
        "phase": st.sampled_from(Partnership.Phase.values),
        "year": st.sampled_from([2020, 2021, 2023, 1999]),
    }
    return st.fixed_dictionaries(
        {
            "filters": st.fixed_dictionaries(
                {}, optional={name: st.lists(values[name], max_size=2) for name in FILTERED}
            ),
            "sort": st.sampled_from(("", *SORTS)),
            "language": st.sampled_from((*LANGUAGES, "de")),
            "ranked": st.none() | st.lists(st.integers(0, 60), max_size=30),
        }
    )


def as_query(drawn, ids) -> tuple[CatalogueQuery, list[int]]:
    params = {name: [",".join(map(str, v))] for name, v in drawn["filters"].items() if v}
    ranked = []
    if drawn["ranked"] is not None:
        params["q"] = ["text"]
        # positions into the generated ids (and beyond: ids not in the index)
        ranked = [ids[i] if i < len(ids) else 10**9 + i for i in drawn["ranked"]]
    if drawn["sort"]:
        params["sort"] = [drawn["sort"]]
    return CatalogueQuery.from_params(params), ranked


@pytest.mark.django_db
@pytest.mark.reaches(
    "sort: title",
    "sort: -start",
    "sort: partner",
    "sort: relevance",
    "text ranked",
    "filtered",
    "three facets",
    "no result",
    "results",
    "private partner",
    "draft",
)
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), rows=st.lists(row, min_size=1, max_size=12))
def test_the_index_answers_as_todays_selectors(pools, data, rows):
    with transaction.atomic():
        made = create(pools, rows)
        sets, keys = oracle()
        ids = sorted(p.pk for p in made)
        for _ in range(3):
            drawn = data.draw(queries(pools))
            query, ranked = as_query(drawn, [*ids, *sorted(keys)])
            language = drawn["language"]
            got_ids, got_counts = answers(query, ranked, language)
            matching = set(ranked) if query.q else None
            assert got_ids == oracle_ids(
                sets, keys, query, ranked, language if language in LANGUAGES else "sv"
            )
            assert got_counts == oracle_counts(sets, keys, query, matching)
            event(f"sort: {query.sort or 'default'}")
            if query.q:
                event("text ranked")
            active = query.active_filters()
            if active:
                event("filtered")
            if len(active) >= 3:
                event("three facets")
            event("results" if got_ids else "no result")
        if any("partner" in r["private"] and r["published"] for r in rows):
            event("private partner")
        if not all(r["published"] for r in rows):
            event("draft")
        transaction.set_rollback(True)


# ---- incremental refresh ---------------------------------------------------------------


def snapshot(index):
    """Every answer the index gives on a fixed set of queries."""
    facets._latest.keep(index)
    result: list[object] = []
    for sort in ("", "title", "start", "-start", "partner", "swedish_partner"):
        for language in LANGUAGES:
            query = CatalogueQuery.from_params({"sort": [sort]} if sort else {})
            with translation.override(language):
                result.append(catalogue_ids(query, version=index.version))
    with translation.override("en"):
        options = catalogue_facets(CatalogueQuery(), version=index.version)
    result.append({n: [(o.value, o.count) for o in opts] for n, opts in options.items()})
    result.append({name: index.value_counts(name) for name in FACETS})
    return result


def first(**filters) -> Partnership:
    return Partnership.objects.filter(**filters).order_by("pk")[0]


WRITES = {
    "title": lambda: Partnership.objects.filter(pk=first().pk).update(title_en="Ääa new title"),
    "unpublish": lambda: Partnership.objects.filter(pk=first().pk).update(publication="draft"),
    "publish": lambda: Partnership.objects.filter(pk=first(publication="draft").pk).update(
        publication="published", published_at=timezone.now()
    ),
    "private partner": lambda: Partnership.objects.filter(pk=first().pk).update(
        private_fields=["partner", "start_date"]
    ),
    "goals": lambda: first().goals.add(*Goal.objects.exclude(partnerships=first())[:1]),
    "tags": lambda: first().tags.clear(),
    "start": lambda: Partnership.objects.filter(pk=first().pk).update(start_date=date(1999, 1, 1)),
    # Within a year another row also starts in: the row moves in the start order, no value
    # comes or goes.
    "start in its year": lambda: Partnership.objects.filter(
        pk=first(start_date=date(2021, 6, 1), publication="published").pk
    ).update(start_date=date(2021, 12, 31)),
    "delete": lambda: first(slug__startswith="gen-").delete(),
}


# Writes that change rows the index holds without adding or removing a row or a value.
IN_PLACE = {"title", "goals", "start in its year"}
# Of those, the writes that change no sort key (the stored title is not the public one).
SAME_KEYS = {"title", "goals"}


@pytest.mark.django_db
@pytest.mark.parametrize("write", list(WRITES))
def test_a_patched_index_answers_as_a_rebuilt_one(pools, write):
    create(
        pools,
        [
            {
                "swedish": s,
                "partner": p,
                "network": 0,
                "area": s % 3,
                "goals": {p % 4},
                "tags": {s % 3},
                "phase": "project",
                "status": "active",
                "start": STARTS[(s + p) % 5],
                "titles": (f"b{p}", "", f"a{s}"),
                "private": set(),
                "published": (s + p) % 4 != 0,
            }
            for s in range(4)
            for p in range(5)
        ],
    )
    saved = facets._latest.current
    try:
        before = facet_index()
        snapshot(before)  # every order computed: the patch carries them over
        counted = dict(facets.builds)
        WRITES[write]()
        patched = facet_index()
        assert patched is not before
        assert facets.builds["patch"] == counted["patch"] + 1  # a patch, not a rebuild
        assert facets.builds["full"] == counted["full"]
        if write in IN_PLACE:  # rows changed where they are: the in-place patch took it
            assert facets.builds["in place"] == counted["in place"] + 1
        if write in SAME_KEYS:  # no sort key changed: every order is kept as it was
            assert all(patched._orders[key] is before._orders[key] for key in before._orders)
        carried = set(patched._orders)
        assert carried == set(before._orders) and carried  # carried over, not sorted again
        rebuilt = facets._build(patched.version)
        assert snapshot(patched) == snapshot(rebuilt)
        for key in carried:  # the carried orders are exactly the orders sorted afresh
            assert patched._orders[key].tolist() == facets._order(rebuilt, *key).tolist(), key
    finally:
        facets._latest.keep(saved)


@pytest.mark.django_db
def test_a_vocabulary_write_rebuilds():
    facet_index()
    counted = dict(facets.builds)
    Tag.objects.filter(pk=Tag.objects.order_by("pk")[0].pk).update(name_en="Renamed")
    facet_index()
    assert facets.builds == {**counted, "full": counted["full"] + 1}


# What a page's rows point to, each written by hand: a write to any of them must change the
# generation the pages' per-process copy is kept under (`FacetIndex.vocabulary`).
VOCABULARY_WRITES = {
    "municipality": lambda: Municipality.objects.filter(
        pk=Partnership.objects.published().values("swedish_partner")[:1]
    ).update(name_en="Renamed"),
    "tag": lambda: Tag.objects.filter(pk=Tag.objects.order_by("pk")[0].pk).update(name_en="R"),
    "area": lambda: CooperationArea.objects.update(name_en="R"),
    "network": lambda: Network.objects.update(name_en="R"),
    "goal": lambda: Goal.objects.filter(number=16).update(short_name_en="R"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("what", sorted(VOCABULARY_WRITES))
def test_a_vocabulary_write_changes_the_pages_generation(what):
    before = facet_index().vocabulary
    VOCABULARY_WRITES[what]()
    assert facet_index().vocabulary != before


@pytest.mark.django_db
def test_a_partnership_write_keeps_the_generation_and_a_rename_reaches_every_list(client):
    p = Partnership.objects.published().select_related("swedish_partner").order_by("pk")[0]
    assert client.get("/api/v1/partnerships?lang=en").status_code == 200
    before = facet_index()
    Partnership.objects.filter(pk=p.pk).update(status="paused")
    after = facet_index()
    assert after.version != before.version and after.vocabulary == before.vocabulary
    Municipality.objects.filter(pk=p.swedish_partner_id).update(name_en="Renamedtown")
    names = [
        row["swedish_partner"]["name"]
        for row in client.get("/api/v1/partnerships?lang=en&page_size=100").json()["results"]
    ]
    assert "Renamedtown" in names
    assert "Renamedtown" in client.get("/en/partnerships/").content.decode()


@pytest.mark.django_db
def test_a_bulk_write_rebuilds_once(monkeypatch):
    facet_index()
    monkeypatch.setattr(facets, "PATCH_LIMIT", 2)
    counted = dict(facets.builds)
    Partnership.objects.update(status="paused")  # more partnerships than a patch takes
    assert [o.value for o in catalogue_facets(CatalogueQuery())["status"]] == ["paused"]
    facet_index()
    assert facets.builds == {**counted, "full": counted["full"] + 1}


@pytest.mark.django_db
def test_a_rolled_back_change_the_index_had_seen_rebuilds_it():
    facet_index()
    with transaction.atomic():
        Partnership.objects.filter(pk=first().pk).update(title_en="Inside")
        seen = facet_index()
        transaction.set_rollback(True)
    last = Partnership.objects.order_by("-pk")[0]
    Partnership.objects.filter(pk=last.pk).update(title_en="After")
    counted = dict(facets.builds)
    index = facet_index()
    assert index is not seen
    assert facets.builds == {**counted, "full": counted["full"] + 1}
    assert snapshot(index) == snapshot(facets._build(index.version))


# ---- single flight ---------------------------------------------------------------------


@pytest.mark.django_db
def test_threads_missing_one_version_build_it_once(monkeypatch):
    version = ("test", "single flight", random.random())
    calls = []
    gate = threading.Barrier(8)
    built = facets.index_from_sets(version, {})

    def slow_refresh(cached, wanted):
        calls.append(wanted)
        time.sleep(0.2)  # the others arrive while it builds
        return built

    monkeypatch.setattr(facets, "_refreshed", slow_refresh)
    results = []

    def ask():
        gate.wait()
        results.append(facet_index(version))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [version]
    assert len(results) == 8 and all(r is built for r in results)
    facets._latest.keep(None)
