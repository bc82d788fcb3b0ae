"""A catalogue request parses its text query once and embeds it at most once: ranking, facets
and highlighting read the one `QueryPlan`."""

import dataclasses
import threading
from collections import Counter
from contextlib import contextmanager
from types import SimpleNamespace
from unittest import mock

import pytest

from partnernet.catalogue import search, search_index
from partnernet.catalogue.plan import QueryPlan, query_plan
from partnernet.lib import embeddings


@contextmanager
def counting():
    """Counts the calls of query parsing and query embedding (the real functions still run)."""
    calls: Counter[str] = Counter()

    def counted(module, name):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return mock.patch.object(module, name, wrapper)

    with counted(search, "query_groups"), counted(embeddings, "embed_query"):
        yield calls


def test_an_empty_query_has_no_words_and_is_never_embedded():
    with counting() as calls:
        for q in ("", "   "):
            plan = query_plan(q)
            assert plan.groups == ()
            assert plan.fts5 == plan.tsquery == ""
            assert plan.embedding is None
    assert calls == Counter()


def test_a_query_of_stop_words_or_punctuation_only_finds_nothing_lexically():
    plan = query_plan("!!! ???")
    assert plan.groups == ()
    assert plan.fts5 == ""
    assert search_index.lexical_hits(plan) == {}


def test_the_plan_holds_the_full_text_queries_of_both_databases():
    plan = query_plan("vatten skola")
    assert len(plan.groups) == 2
    assert "vatten" in plan.groups[0] and "skola" in plan.groups[1]
    assert plan.fts5.count(" AND ") == 1 and '"vatten"' in plan.fts5
    assert plan.fts5_names.startswith("(names : (")
    assert plan.tsquery.count(" & ") == 1 and ":A" not in plan.tsquery


def test_a_plan_is_frozen_and_compares_by_its_parse_not_its_embedding():
    plan = query_plan("vatten")
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.text = "skola"  # type: ignore[misc]
    other = query_plan("vatten")
    plan.embedding  # noqa: B018  (computed on one of the two only)
    assert plan == other


def test_the_embedding_is_computed_once_per_plan():
    plan = query_plan("water supply")
    with counting() as calls:
        first, second = plan.embedding, plan.embedding
    assert calls["embed_query"] == 1
    assert first is second


@pytest.mark.django_db
def test_ranking_reads_the_plan_and_never_parses_the_query_again():
    plan = query_plan("vattenförsörjningen")

    def refuse(q):
        raise AssertionError(f"parsed again: {q!r}")

    with mock.patch.object(search, "query_groups", refuse):
        ranked = search_index.search_ranking(plan)
    assert ranked  # the seed network has a partnership on water supply


def test_highlighting_marks_the_words_of_the_plan():
    from partnernet.catalogue.pages import highlighted

    row = SimpleNamespace(source_language="sv", title_sv="Rent vatten", summary_sv="Vatten i Falun")
    [item] = highlighted([row], query_plan("vatten"), "sv")
    assert str(item.title) == "Rent <mark>vatten</mark>"
    assert str(item.summary) == "<mark>Vatten</mark> i Falun"
    [plain] = highlighted([row], QueryPlan(text=""), "sv")
    assert str(plain.title) == "Rent vatten"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/sv/partnerships/?q=vatten",
        "/en/partnerships/?q=water+supply&sort=title&country=UA",
        "/sv/partnerships/?q=vatten&page=2",
        "/sv/map/?q=vatten",
        "/api/v1/partnerships?q=vatten",
    ],
)
def test_a_request_with_a_text_query_parses_and_embeds_it_once(client, url):
    with counting() as calls:
        response = client.get(url)
    assert response.status_code == 200
    assert calls == Counter(query_groups=1, embed_query=1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/sv/partnerships/", "/sv/partnerships/?area=education", "/sv/map/", "/api/v1/partnerships"],
)
def test_a_request_without_a_text_query_neither_parses_nor_embeds(client, url):
    with counting() as calls:
        response = client.get(url)
    assert response.status_code == 200
    assert calls == Counter()


@pytest.mark.django_db
def test_the_query_is_embedded_while_the_database_finds_the_lexical_hits():
    """The embedding must not wait for the lexical query, nor the lexical query for it: the
    stand-in embedding waits until the lexical query has run, which a sequential search never
    lets it see (it would time out and the assertion below would fail)."""
    lexical_ran = threading.Event()
    seen: list[bool] = []
    real_lexical = search_index.lexical_arrays

    def slow_embedding(text):
        seen.append(lexical_ran.wait(timeout=5))
        return None

    def lexical(plan, version=None):
        lexical_ran.set()
        return real_lexical(plan, version)

    plan = query_plan("vatten")
    with (
        mock.patch.object(embeddings, "embed_query", slow_embedding),
        mock.patch.object(search_index, "lexical_arrays", lexical),
    ):
        search_index.ranked_ids(plan)
    assert seen == [True]


def test_a_plan_started_in_the_background_is_embedded_once_and_waits_for_its_vector():
    with counting() as calls:
        plan = query_plan("vatten och avfall")
        plan.embed_soon()
        plan.embed_soon()  # a second start reuses the first
        first, second = plan.embedding, plan.embedding
    assert calls["embed_query"] == 1
    assert first is second
    assert (first is None) == (not embeddings.available())


def test_an_empty_query_starts_no_embedding():
    with counting() as calls:
        plan = query_plan("  ")
        plan.embed_soon()
        assert plan.embedding is None
    assert calls == Counter()


def test_a_forked_process_makes_its_own_embedding_threads():
    pool = embeddings._query_pool()
    assert embeddings._query_pool() is pool
    with mock.patch.object(embeddings.os, "getpid", return_value=-1):
        assert embeddings._query_pool() is not pool
    assert embeddings._query_pool() is not pool  # and back in this process, again its own
