"""One production per missed key (issue 16): concurrent callers of one key wait for the one
that produces it, in this process and (through a lease in the shared cache) in others; a
cache that is down or raises costs a production each, never an error or a hang; different
keys never wait for each other."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache.backends.locmem import LocMemCache

from partnernet.lib import singleflight
from partnernet.lib.cache import TolerantRedisCache, _breakers
from partnernet.lib.testing_services import RaisingCache, free_port

THREADS = 8


@pytest.fixture
def cache():
    store = LocMemCache("singleflight-test", {})
    store.clear()
    yield store
    store.clear()


class Counting:
    """A production that takes `seconds` and counts how often it ran."""

    def __init__(self, value: bytes = b"body", seconds: float = 0.05) -> None:
        self.value, self.seconds = value, seconds
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self) -> bytes:
        with self.lock:
            self.calls += 1
        time.sleep(self.seconds)
        return self.value


def same(value):
    return value


def answered(result) -> bytes:
    return result.value if isinstance(result, singleflight.Shared) else result


def together(count: int, call) -> list:
    """`call()` from `count` threads released at the same moment."""
    start = threading.Barrier(count)

    def one(_):
        start.wait()
        return call()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


# Negative paths first: what may go wrong must not reach the caller.


def test_an_error_in_the_production_reaches_its_caller_and_the_waiters_produce_themselves(
    cache, eager_thread_switching
):
    calls = []

    def failing_once():
        calls.append(1)
        if len(calls) == 1:
            time.sleep(0.1)  # the others board meanwhile
            raise RuntimeError("render failed")
        return b"second try"

    def call():
        try:
            return answered(singleflight.fetch(cache, "k", failing_once, keep=same, timeout=60))
        except RuntimeError:
            return "error"

    results = together(4, call)
    assert results.count("error") == 1
    assert set(results) == {"error", b"second try"}
    assert singleflight.flights_in_the_air() == 0
    assert cache.get("k:lock") is None  # the lease was let go


def test_a_cache_that_raises_costs_a_production_per_call_never_an_error():
    produce = Counting(seconds=0)
    for _ in range(3):
        result = singleflight.fetch(RaisingCache(), "k", produce, keep=same, timeout=60)
        assert result == b"body"
    assert produce.calls == 3


def test_an_unreachable_redis_produces_at_once_without_waiting_for_a_lease():
    url = f"redis://127.0.0.1:{free_port()}"  # nothing listens there
    _breakers.pop(url, None)
    down = TolerantRedisCache(url, {"RETRY_AFTER": 60})
    produce = Counting(seconds=0)
    started = time.monotonic()
    for _ in range(3):
        assert answered(singleflight.fetch(down, "k", produce, keep=same, timeout=60)) == b"body"
    # the first call finds Redis gone (refused at once), the others do not even try it; none
    # waits for a lease that the refused `add` seems to be held by another process
    assert time.monotonic() - started < singleflight.WAIT_SECONDS
    assert produce.calls == 3
    _breakers.pop(url, None)


def test_concurrent_callers_share_one_production_even_with_the_cache_down(
    eager_thread_switching,
):
    produce = Counting(seconds=0.2)
    results = together(
        THREADS,
        lambda: answered(singleflight.fetch(RaisingCache(), "k", produce, keep=same, timeout=60)),
    )
    assert produce.calls == 1
    assert results == [b"body"] * THREADS


def test_nothing_kept_when_keep_refuses_and_every_caller_still_answered(cache):
    produce = Counting(seconds=0)
    result = singleflight.fetch(cache, "k", produce, keep=lambda _: None, timeout=60)
    assert result == b"body"  # its own result, not a shared one
    assert cache.get("k") is None
    singleflight.fetch(cache, "k", produce, keep=lambda _: None, timeout=60)
    assert produce.calls == 2


# Within the process


def test_eight_threads_missing_one_key_produce_it_once_and_all_get_it(
    cache, eager_thread_switching
):
    produce = Counting(seconds=0.1)
    results = together(
        THREADS, lambda: answered(singleflight.fetch(cache, "k", produce, keep=same, timeout=60))
    )
    assert produce.calls == 1
    assert results == [b"body"] * THREADS
    assert cache.get("k") == b"body"
    assert singleflight.flights_in_the_air() == 0


def test_the_producer_gets_its_own_result_and_the_others_the_shared_value(cache):
    produce = Counting(seconds=0.1)
    results = together(
        THREADS, lambda: singleflight.fetch(cache, "k", produce, keep=same, timeout=60)
    )
    own = [r for r in results if not isinstance(r, singleflight.Shared)]
    assert own == [b"body"]
    assert all(r.value == b"body" for r in results if isinstance(r, singleflight.Shared))


def test_a_kept_value_is_answered_without_producing(cache):
    cache.set("k", b"kept", 60)
    produce = Counting()
    assert singleflight.fetch(cache, "k", produce, keep=same, timeout=60) == singleflight.Shared(
        b"kept"
    )
    assert produce.calls == 0


def test_different_keys_do_not_wait_for_each_other(cache, eager_thread_switching):
    slow = threading.Event()

    def blocking():
        slow.wait(5)  # held until the other key has been produced and answered
        return b"slow"

    with ThreadPoolExecutor(2) as pool:
        held = pool.submit(singleflight.fetch, cache, "a", blocking, keep=same, timeout=60)
        started = time.monotonic()
        other = singleflight.fetch(cache, "b", lambda: b"fast", keep=same, timeout=60)
        elapsed = time.monotonic() - started
        slow.set()
        assert answered(held.result()) == b"slow"
    assert other == b"fast"
    assert elapsed < 0.5


def test_beyond_the_bound_of_flights_callers_produce_unshared(cache, monkeypatch):
    monkeypatch.setattr(singleflight, "MAX_FLIGHTS", 0)
    produce = Counting(seconds=0.05)
    together(3, lambda: singleflight.fetch(None, "k", produce, keep=same, timeout=60))
    assert produce.calls == 3
    assert singleflight.flights_in_the_air() == 0


# Across processes: the lease in the shared cache


def test_a_lease_held_elsewhere_is_waited_for_and_its_value_answered(cache):
    cache.add("k:lock", 1, timeout=10)  # another process renders it

    def other_process_finishes():
        time.sleep(0.3)
        cache.set("k", b"from the other process", 60)
        cache.delete("k:lock")

    finisher = threading.Thread(target=other_process_finishes)
    finisher.start()
    produce = Counting()
    started = time.monotonic()
    result = singleflight.fetch(cache, "k", produce, keep=same, timeout=60, wait=2)
    finisher.join()
    assert result == singleflight.Shared(b"from the other process")
    assert produce.calls == 0
    assert 0.25 < time.monotonic() - started < 1.5


def test_a_lease_never_let_go_is_waited_for_up_to_the_bound_then_produced_here(cache):
    cache.add("k:lock", 1, timeout=10)  # its holder died
    produce = Counting(seconds=0)
    started = time.monotonic()
    result = singleflight.fetch(cache, "k", produce, keep=same, timeout=60, wait=0.4)
    elapsed = time.monotonic() - started
    assert result == b"body"
    assert produce.calls == 1
    assert 0.35 < elapsed < 1.5
    assert cache.get("k") == b"body"


def test_a_lease_let_go_without_a_value_is_produced_here_at_once(cache):
    cache.add("k:lock", 1, timeout=10)

    def other_process_fails():
        time.sleep(0.1)
        cache.delete("k:lock")  # its render failed: nothing was kept

    failer = threading.Thread(target=other_process_fails)
    failer.start()
    started = time.monotonic()
    result = singleflight.fetch(cache, "k", Counting(seconds=0), keep=same, timeout=60, wait=2)
    failer.join()
    assert result == b"body"
    assert time.monotonic() - started < 1


def test_the_lease_is_taken_while_producing_and_let_go_after(cache):
    seen = []

    def produce():
        seen.append(cache.get("k:lock"))
        return b"body"

    singleflight.fetch(cache, "k", produce, keep=same, timeout=60)
    assert seen == [1]
    assert cache.get("k:lock") is None


# ---- one value per data version (PerVersion) --------------------------------------------


class Built:
    def __init__(self, version, previous=None):
        self.version, self.previous = version, previous


class SlowBuild:
    """A build that takes a while (so other threads arrive meanwhile) and records its calls."""

    def __init__(self, version, seconds: float = 0.1) -> None:
        self.version, self.seconds = version, seconds
        self.previous: list[object] = []
        self.lock = threading.Lock()

    def __call__(self, previous):
        with self.lock:
            self.previous.append(previous)
        time.sleep(self.seconds)
        return Built(self.version, previous)


def test_a_miss_with_a_failing_build_raises_and_keeps_what_was_kept():
    kept = singleflight.PerVersion()
    first = kept.get(1, lambda previous: Built(1))

    def failing(previous):
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        kept.get(2, failing)
    assert kept.current is first
    assert kept.get(1, failing) is first  # still answered, without building


def test_eight_threads_missing_one_version_build_it_once(eager_thread_switching):
    kept = singleflight.PerVersion()
    build = SlowBuild("v1")
    gate = threading.Barrier(THREADS)

    def ask():
        gate.wait()
        return kept.get("v1", build)

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda _: ask(), range(THREADS)))
    assert build.previous == [None]  # once, with nothing before it
    assert all(result is results[0] for result in results)


def test_a_new_version_is_built_from_the_previous_value_and_replaces_it():
    kept = singleflight.PerVersion()
    first = kept.get("a", lambda previous: Built("a", previous))
    assert kept.get("a", lambda previous: pytest.fail("built again")) is first
    second = kept.get("b", lambda previous: Built("b", previous))
    assert second.previous is first and kept.current is second
    # Going back is a version like any other: built again (from the newest), never mixed up.
    third = kept.get("a", lambda previous: Built("a", previous))
    assert third is not first and third.previous is second


def test_the_version_is_read_where_the_owner_keeps_it():
    kept = singleflight.PerVersion(lambda value: value["generation"])
    value = kept.get(7, lambda previous: {"generation": 7})
    assert kept.get(7, lambda previous: pytest.fail("built again")) is value
    kept.keep(None)
    assert kept.current is None
    assert kept.get(7, lambda previous: {"generation": 7, "again": previous}) == {
        "generation": 7,
        "again": None,
    }
