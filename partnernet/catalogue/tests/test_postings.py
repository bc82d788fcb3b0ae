"""The postings in memory answer every query as the database's full-text indexes do (GIN on
PostgreSQL, FTS5 on SQLite): compared hit by hit over every token the documents hold, over
combinations of them and over tokens no document holds; after writes (patched from the change
log, not rebuilt), through the shared files, and with every hash colliding."""

import io
import random
from unittest import mock

import numpy as np
import pytest
from django.core.management import call_command

from partnernet.catalogue import facets, matrix_store, postings, search_index, shared_files
from partnernet.catalogue.models import SearchDocument
from partnernet.catalogue.plan import QueryPlan
from partnernet.catalogue.search import fts5_query, tsquery
from partnernet.catalogue.tests.test_search_scale import clone_partnerships


def plan_of(groups: list[list[str]]) -> QueryPlan:
    frozen = tuple(tuple(g) for g in groups)
    return QueryPlan(
        text=" ".join(g[0] for g in groups),
        groups=frozen,
        tsquery=tsquery(frozen),
        fts5=fts5_query(frozen),
        fts5_names=fts5_query(frozen, names_only=True),
    )


def every_token() -> list[str]:
    tokens: set[str] = set()
    for names, body in SearchDocument.objects.values_list("names", "body"):
        tokens.update(names.split())
        tokens.update(body.split())
    return sorted(tokens)


def query_groups_to_compare(tokens: list[str], seed: int = 7) -> list[list[list[str]]]:
    """Every token alone, and 300 random combinations of one to four groups of one to three
    tokens, some of which no document holds."""
    rng = random.Random(seed)
    pool = tokens + ["zzzznosuchtoken", "q0q0q0"]
    queries = [[[t]] for t in tokens]
    for _ in range(300):
        queries.append([rng.sample(pool, rng.randint(1, 3)) for _group in range(rng.randint(1, 4))])
    return queries


def compare(version: tuple, queries: list[list[list[str]]]) -> int:
    """Asserts the postings equal the database on each query; the number of hits compared."""
    index = postings.postings(version)
    compared = 0
    for groups in queries:
        plan = plan_of(groups)
        ids, names = index.hits(plan.groups)
        db_ids, db_names = search_index.database_lexical_arrays(plan)
        assert ids.tolist() == db_ids.tolist(), groups
        assert names.tolist() == db_names.tolist(), groups
        compared += len(ids)
    return compared


@pytest.fixture
def fresh_postings(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    postings.forget()
    matrix_store.forget()
    yield tmp_path
    postings.forget()
    matrix_store.forget()


def test_nothing_is_found_for_no_words_or_unknown_ones(db, fresh_postings):
    index = postings.postings(search_index.index_version())
    assert index.hits([])[0].tolist() == []
    assert index.hits([["zzzznosuchtoken"]])[0].tolist() == []
    some = every_token()[0]
    # One group that no document holds empties the whole query (AND).
    assert index.hits([[some], ["zzzznosuchtoken"]])[0].tolist() == []
    assert len(index.hits([[some]])[0]) > 0


def test_every_token_and_combinations_answer_as_the_database_does(db, fresh_postings):
    clone_partnerships(60)
    tokens = every_token()
    assert len(tokens) > 200  # not vacuous
    compared = compare(search_index.index_version(), query_groups_to_compare(tokens))
    assert compared > 5_000


def test_every_hash_colliding_changes_no_answer(db, fresh_postings):
    tokens = every_token()
    with mock.patch.object(postings, "token_hash", return_value=42):
        compared = compare(search_index.index_version(), query_groups_to_compare(tokens[:80]))
    assert compared > 50


@pytest.mark.parametrize("shared", [False, True])
def test_after_writes_the_postings_are_patched_and_still_answer_as_the_database(
    db, fresh_postings, shared
):
    with mock.patch.object(shared_files, "database_tag", return_value="p" * 16 if shared else None):
        clone_partnerships(20)
        before = postings.postings(search_index.index_version())
        assert not before.fresh
        first, second, third = before.ids[:3].tolist()
        # A changed text, a removed document, names emptied.
        document = SearchDocument.objects.get(pk=first)
        document.body = "zqnewtokenone " + document.body
        document.names = document.names + " zqnewname"
        document.save()
        SearchDocument.objects.filter(pk=second).delete()
        SearchDocument.objects.filter(pk=third).update(names="")
        version = search_index.index_version()
        with mock.patch.object(postings, "_built", side_effect=AssertionError("rebuilt")):
            patched = postings.postings(version)
        assert set(patched.fresh) == {first, third}
        tokens = every_token()
        assert "zqnewtokenone" in tokens and "zqnewname" in tokens
        queries = query_groups_to_compare(tokens, seed=11)
        compared = compare(version, queries + [[["zqnewtokenone"]], [["zqnewname"]]])
        assert compared > 500
        assert patched.hits([["zqnewname"]])[1].tolist() == [True]
        if shared:
            # Another process maps the patched files and reads the documents kept aside.
            postings.forget()
            with mock.patch.object(postings, "_built", side_effect=AssertionError("rebuilt")):
                mapped = postings.postings(version)
            assert isinstance(mapped.everywhere.rows, np.memmap)
            assert set(mapped.fresh) == set(patched.fresh)
            assert mapped.changes == patched.changes
            compare(version, queries[-50:])
            directories = [p for p in (fresh_postings / postings.DIRECTORY).iterdir() if p.is_dir()]
            assert len(directories) == 1  # the first version's files removed, linked from


def test_too_many_changes_rebuild_once(db, fresh_postings):
    clone_partnerships(10)
    postings.postings(search_index.index_version())
    ids = list(SearchDocument.objects.values_list("pk", flat=True)[:6])
    SearchDocument.objects.filter(pk__in=ids).update(body="zqbulk")
    with (
        mock.patch.object(postings, "OVERLAY_LIMIT", 3),
        mock.patch.object(postings, "_built", side_effect=postings._built) as built,
    ):
        rebuilt = postings.postings(search_index.index_version())
    assert built.call_count == 1
    assert not rebuilt.fresh
    assert sorted(rebuilt.hits([["zqbulk"]])[0].tolist()) == sorted(ids)


def test_a_rolled_back_change_the_postings_saw_makes_them_rebuild(db, fresh_postings):
    postings.postings(search_index.index_version())
    state = postings._latest.current.changes
    # A state that claims a change the log does not hold (rolled back): it cannot be patched.
    claimed = facets.ChangeState(state.last + 5, state.seen | {(state.last + 5, 12345)})
    assert facets.changed_since(claimed) is None


def test_building_in_small_slices_gives_the_same_index(db, fresh_postings):
    clone_partnerships(10)
    version = search_index.index_version()
    whole = postings._built(version)
    with mock.patch.object(postings, "_FILL", 7):
        sliced = postings._built(version)
    assert len(whole.everywhere.rows) > 7 * 20  # many slices
    for name in ("everywhere", "names"):
        for part in postings._PARTS:
            a, b = getattr(getattr(whole, name), part), getattr(getattr(sliced, name), part)
            assert np.array_equal(a, b), (name, part)


def test_warm_search_writes_the_files_that_workers_then_map(db, fresh_postings):
    out = io.StringIO()
    with mock.patch.object(shared_files, "database_tag", return_value="w" * 16):
        call_command("warm_search", stdout=out)
        assert "Search files ready" in out.getvalue()
        assert list((fresh_postings / postings.DIRECTORY).glob("w*/meta.json"))
        assert list((fresh_postings / "search-matrix").glob("w*/ids.npy"))
        postings.forget()
        with mock.patch.object(postings, "_built", side_effect=AssertionError("rebuilt")):
            mapped = postings.postings(search_index.index_version())
    assert isinstance(mapped.everywhere.rows, np.memmap)
    assert len(mapped.ids) == SearchDocument.objects.count()
