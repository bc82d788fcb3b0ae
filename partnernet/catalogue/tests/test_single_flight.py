"""A missed catalogue page is rendered once however many ask for it at once (issue 16): the
others wait for its body and get the very same page; with the cache down every request still
gets its page (rendered itself), never an error."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client, override_settings

from partnernet.catalogue import pages, views
from partnernet.lib import singleflight
from partnernet.lib.cache import _breakers
from partnernet.lib.testing_services import RaisingCache, free_port

THREADS = 8
PAGE = "/en/partnerships/?q=water&sort=title"


@pytest.fixture
def counted_renders(monkeypatch):
    """The catalogue page's own render, counted (the view looks it up at every request)."""
    calls = []
    lock = threading.Lock()
    render = views._partnership_list

    def counting(request):
        with lock:
            calls.append(request.get_full_path())
        return render(request)

    monkeypatch.setattr(views, "_partnership_list", counting)
    return calls


def together(count: int, call) -> list:
    """`call()` from `count` threads released at the same moment, each closing the database
    connection it opened."""
    start = threading.Barrier(count)

    def one(_):
        try:
            start.wait()
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def fetched(path: str) -> tuple[int, bytes]:
    response = Client().get(path)
    return response.status_code, response.content


# Negative paths first: the cache down is no error.


@pytest.mark.django_db
def test_with_a_cache_that_raises_every_page_renders_and_answers(client, monkeypatch):
    monkeypatch.setattr(pages, "cache", RaisingCache())
    first, second = client.get(PAGE), client.get(PAGE)
    assert first.status_code == second.status_code == 200
    assert b"water" in first.content.lower()
    assert first.content == second.content


@pytest.mark.django_db
def test_with_redis_unreachable_pages_render_at_once_and_answer(client, counted_renders):
    url = f"redis://127.0.0.1:{free_port()}"  # nothing listens there
    _breakers.pop(url, None)
    backend = {"BACKEND": "partnernet.lib.cache.TolerantRedisCache", "LOCATION": url}
    with override_settings(CACHES={"default": backend}):
        responses = [client.get(PAGE) for _ in range(3)]
    _breakers.pop(url, None)
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert len(counted_renders) == 3  # nothing kept: each rendered, none waited for a lease


@pytest.mark.django_db
def test_concurrent_misses_share_one_render_even_with_the_cache_down(
    monkeypatch, counted_renders, eager_thread_switching
):
    monkeypatch.setattr(pages, "cache", RaisingCache())
    results = together(THREADS, lambda: fetched(PAGE))
    assert {status for status, _ in results} == {200}
    assert len({body for _, body in results}) == 1
    assert len(counted_renders) <= THREADS  # each got its page; how many shared: timing


# One render per missed page


@pytest.mark.django_db
def test_eight_requests_for_one_missed_page_render_it_once_and_get_the_same_page(
    counted_renders, eager_thread_switching
):
    results = together(THREADS, lambda: fetched(PAGE))
    assert [status for status, _ in results] == [200] * THREADS
    assert len({body for _, body in results}) == 1
    assert counted_renders == [PAGE]
    assert singleflight.flights_in_the_air() == 0


@pytest.mark.django_db
def test_different_pages_missed_at_once_are_each_rendered_once(
    counted_renders, eager_thread_switching
):
    paths = [PAGE, "/en/partnerships/?sort=-start", "/sv/partnerships/?q=water&sort=title"]
    index = iter(range(3 * len(paths)))
    lock = threading.Lock()

    def one():
        with lock:
            path = paths[next(index) % len(paths)]
        return path, fetched(path)

    answers = together(3 * len(paths), one)
    assert sorted(counted_renders) == sorted(paths)
    for path in paths:
        bodies = {body for p, (status, body) in answers if p == path and status == 200}
        assert len(bodies) == 1, path


@pytest.mark.django_db
def test_a_page_another_server_is_rendering_is_waited_for(client, counted_renders):
    client.get(PAGE)  # the key of the page, as the other server computes it
    (key,) = [k for k in _page_keys() if not k.endswith(singleflight.LEASE_SUFFIX)]
    body = cache.get(key)
    cache.delete(key)
    cache.add(key + singleflight.LEASE_SUFFIX, 1, timeout=10)  # the other server renders

    def other_server_finishes():
        threading.Event().wait(0.3)
        cache.set(key, body, 60)

    finisher = threading.Thread(target=other_server_finishes)
    finisher.start()
    response = client.get(PAGE)
    finisher.join()
    assert response.status_code == 200
    assert response.content == body
    assert len(counted_renders) == 1  # the first request's only


def _page_keys() -> list[str]:
    return [k.split(":", 2)[-1] for k in cache._cache if "catalogue:" in k]  # type: ignore[attr-defined]
