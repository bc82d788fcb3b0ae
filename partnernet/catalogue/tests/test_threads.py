"""Text normalisation is safe under threads: `partnernet serve` runs 4 threads per worker, and
Snowball stemmers keep their working state in the stemmer object. Eight threads analyse the
same words at once and must get exactly what one thread gets."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from partnernet.catalogue import search
from partnernet.lib import lemmas, text

THREADS = 8
WORDS = {
    "sv": "vattenförsörjningen demokratiska skolorna kommunernas avfallshanteringen "
    "krisberedskapen jämställdhetsarbetet medborgarnas deltagande planeringen",
    "en": "municipalities partnerships democratic resilience preparedness governance "
    "participation communications infrastructure inclusiveness",
    "uk": "громади освіти водопостачання демократичної стійкості партнерства "
    "врядування управління відходами молоді",
}
QUERIES = [
    "vattenförsörjning Kolomyia",
    "демократична освіта",
    "crisis preparedness Ternopil",
    "jämställd stadsplanering Cherson",
    "молодь та цифрова комунікація",
    "waste management water supply",
]


def analyse(item: tuple[str, str]) -> tuple:
    language, sentence = item
    return (
        tuple(lemmas.keywords(sentence, language)),
        tuple(lemmas.keywords_any_language(sentence)),
        text.fold(sentence),
        text.loose(sentence),
        tuple(tuple(g) for g in search.query_groups(sentence)),
        tuple(sorted(search.text_tokens(sentence, language))),
    )


def workload(repeat: int) -> list[tuple[str, str]]:
    items = [(lang, s) for lang, s in WORDS.items()] + [("sv", q) for q in QUERIES]
    # Each word on its own too: short inputs interleave more often between threads.
    items += [(lang, w) for lang, s in WORDS.items() for w in s.split()]
    return items * repeat


def test_eight_threads_analyse_exactly_as_one_does(eager_thread_switching):
    items = workload(repeat=40)
    expected = [analyse(item) for item in items]  # one thread, the reference
    lemmas.lemma_uk.cache_clear()  # the threads must really run the analysers, not the cache
    start = threading.Barrier(THREADS)

    def run(offset: int) -> list[tuple]:
        start.wait()
        # Each thread walks the items from another starting point: different words meet.
        order = items[offset:] + items[:offset]
        results = [analyse(item) for item in order]
        return results[-offset:] + results[:-offset] if offset else results

    step = len(items) // THREADS
    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(run, [i * step for i in range(THREADS)]))
    for outcome in outcomes:
        assert len(outcome) == len(expected)
        wrong = [(items[i], got) for i, got in enumerate(outcome) if got != expected[i]]
        assert not wrong, f"{len(wrong)} results differ, e.g. {wrong[:2]}"


def _in_threads(function, items):
    """Run `function(item)` for every item from THREADS threads at once (each with its own
    database connection, closed at the end), in rotated orders; one result list per thread."""
    from django.db import connections

    start = threading.Barrier(THREADS)
    step = max(1, len(items) // THREADS)

    def run(offset: int) -> list:
        try:
            start.wait()
            order = list(range(offset, len(items))) + list(range(offset))
            results = {index: function(items[index]) for index in order}
            return [results[index] for index in range(len(items))]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(run, [i * step for i in range(THREADS)]))


CATALOGUE_QUERIES = [
    *QUERIES,
    "Kherson",
    "Херсон",
    "skola",
    "освіта",
    "water",
    "vatten",
    "демократія",
    "participation",
]


@pytest.mark.django_db
def test_catalogue_search_from_eight_threads_ranks_as_one_thread_does(eager_thread_switching):
    from partnernet.catalogue import search_index
    from partnernet.catalogue.plan import query_plan

    def rank(q: str) -> list[int]:
        return search_index.search_ranking(query_plan(q))

    items = CATALOGUE_QUERIES * 3
    expected = [rank(q) for q in items]
    assert sum(1 for ranking in expected if ranking) >= len(items) // 2  # not vacuous
    lemmas.lemma_uk.cache_clear()
    for outcome in _in_threads(rank, items):
        assert outcome == expected


@pytest.mark.django_db
def test_catalogue_pages_from_eight_threads_answer_200_with_the_same_results():
    import re

    from django.core.cache import cache
    from django.test import Client

    def page(q: str) -> tuple[int, list[str]]:
        response = Client().get("/en/partnerships/", {"q": q})
        slugs = re.findall(r'href="/en/partnerships/([a-z0-9-]+)/"', response.content.decode())
        return response.status_code, sorted(set(slugs))

    cache.clear()
    expected = [page(q) for q in CATALOGUE_QUERIES]
    assert all(status == 200 for status, _ in expected)
    assert any(slugs for _, slugs in expected)
    cache.clear()  # the threads must render, not replay the page cache
    lemmas.lemma_uk.cache_clear()
    for outcome in _in_threads(page, CATALOGUE_QUERIES):
        assert outcome == expected
