"""One production per missed key: concurrent requests for the same missing value wait for the
one that produces it instead of each producing it again (issue 16, "single-flight").

`fetch(cache, key, produce, keep=…, timeout=…)` answers the kept value of `key` from `cache`
when it is there. On a miss exactly one caller produces it, and the others wait for it:

- within the process, through a flight per key (a registry of flights guarded by a lock;
  a flight is removed as soon as it lands, and at most `MAX_FLIGHTS` are in the air, beyond
  which callers simply produce). Waiting threads receive the value from the flight itself,
  not through the cache, so they are served even when the cache is down or drops the write;
- across processes and servers, through a short lease in the shared cache
  (`cache.add(key + ":lock", …, timeout=lease)`): whoever holds it produces; the others poll
  the cache for the value every `poll` seconds, up to `wait` seconds, and then produce it
  themselves. A lease whose holder died expires by itself after `lease` seconds.

Nothing here can hang or fail a request because of the cache: every call to the cache that
raises counts as a miss (or as a lease not taken), an unreachable cache (the tolerant Redis
cache answers misses and refuses every `add`) makes the caller produce at once, and waiting is
bounded (`lease` for a thread of this process, `wait` for another process's lease). An error
in `produce` is the caller's own: it propagates to that caller, and the callers that waited
for it produce for themselves.

Pure of Django: `cache` is anything with Django's cache methods `get`, `add`, `set`, `delete`.

`PerVersion` is the in-process counterpart for values built per data version (the catalogue's
index, map table and search matrix, the list pages' vocabularies): one build per version
however many threads miss it at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Generic, Protocol, TypeVar

logger = logging.getLogger("partnernet.singleflight")

R = TypeVar("R")  # what `produce` gives its own caller (a response, say)
V = TypeVar("V")  # what is kept in the cache and shared with the others (its body)

WAIT_SECONDS = 2.0  # how long another process's lease is waited for before producing anyway
LEASE_SECONDS = 10.0  # how long a lease holds when its holder never lets go (it died)
POLL_SECONDS = 0.02  # how often the cache is looked at while another process holds the lease
MAX_FLIGHTS = 10_000  # flights in the air in one process; beyond, callers produce unshared
LEASE_SUFFIX = ":lock"


class SharedCache(Protocol):
    """What is used of a Django cache backend."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def add(self, key: str, value: Any, timeout: Any = ...) -> bool: ...

    def set(self, key: str, value: Any, timeout: Any = ...) -> None: ...

    def delete(self, key: str) -> Any: ...


@dataclass(frozen=True)
class Shared(Generic[V]):
    """A value another caller produced (or the cache kept): the caller did not produce."""

    value: V


class _Flight:
    """One production in the air in this process; its waiters read `value` once `landed`."""

    __slots__ = ("landed", "value")

    def __init__(self) -> None:
        self.landed = threading.Event()
        self.value: Any = None  # None: nothing to share (failed, or not worth keeping)


_flights: dict[str, _Flight] = {}
_flights_lock = threading.Lock()


def flights_in_the_air() -> int:
    """How many keys are being produced in this process right now (0 once all have landed)."""
    with _flights_lock:
        return len(_flights)


def fetch(
    cache: SharedCache | None,
    key: str,
    produce: Callable[[], R],
    *,
    keep: Callable[[R], V | None],
    timeout: float,
    wait: float = WAIT_SECONDS,
    lease: float = LEASE_SECONDS,
    poll: float = POLL_SECONDS,
) -> R | Shared[V]:
    """The value kept under `key`, as `Shared(value)`; or, on a miss, what `produce()` gives
    when this caller is the one to produce it (it is then kept for `timeout` seconds as
    `keep(result)`, unless that is None: an error page is neither kept nor shared).

    `produce` runs at most once per call, and once per missed key across the concurrent
    callers of this process (and of every process sharing `cache`) while the lease holds."""
    found = _get(cache, key)
    if found is not None:
        return Shared(found)
    flight, leader = _board(key)
    if flight is not None and not leader:
        # Another thread of this process produces it: its value comes from the flight. The
        # bound is the lease's: the producer is alive (a thread of ours), only maybe slow.
        if flight.landed.wait(lease) and flight.value is not None:
            return Shared(flight.value)
        return _produce_and_keep(cache, key, produce, keep, timeout)[0]
    shared: V | None = None
    try:
        outcome = _lead(
            cache, key, produce, keep, timeout=timeout, wait=wait, lease=lease, poll=poll
        )
        shared = outcome[1]
    finally:  # landed in any case: on an error its waiters find nothing and produce
        if flight is not None:
            _land(key, flight, shared)
    return outcome[0]


def _board(key: str) -> tuple[_Flight | None, bool]:
    """(the flight of `key`, whether this caller leads it); (None, True) when too many are in
    the air to follow one more (the caller produces on its own)."""
    with _flights_lock:
        flight = _flights.get(key)
        if flight is not None:
            return flight, False
        if len(_flights) >= MAX_FLIGHTS:
            return None, True
        flight = _flights[key] = _Flight()
        return flight, True


def _land(key: str, flight: _Flight, value: Any) -> None:
    flight.value = value
    with _flights_lock:
        if _flights.get(key) is flight:
            del _flights[key]
    flight.landed.set()


def _lead(
    cache: SharedCache | None,
    key: str,
    produce: Callable[[], R],
    keep: Callable[[R], V | None],
    *,
    timeout: float,
    wait: float,
    lease: float,
    poll: float,
) -> tuple[R | Shared[V], V | None]:
    """(what the caller answers, the value its waiters get)."""
    # Looked at again: a flight that landed between our miss and our boarding kept it.
    found = _get(cache, key)
    if found is not None:
        return Shared(found), found
    lease_key = key + LEASE_SUFFIX
    if _add(cache, lease_key, lease):
        try:
            return _produce_and_keep(cache, key, produce, keep, timeout)
        finally:
            _delete(cache, lease_key)
    # Another process holds the lease (or the cache refused it: then the lease reads as
    # absent, and this caller produces at once rather than wait for nobody).
    deadline = time.monotonic() + wait
    while _get(cache, lease_key) is not None and time.monotonic() < deadline:
        time.sleep(poll)
        found = _get(cache, key)
        if found is not None:
            return Shared(found), found
    found = _get(cache, key)  # the lease was let go: the value is there, unless it failed
    if found is not None:
        return Shared(found), found
    return _produce_and_keep(cache, key, produce, keep, timeout)


def _produce_and_keep(
    cache: SharedCache | None,
    key: str,
    produce: Callable[[], R],
    keep: Callable[[R], V | None],
    timeout: float,
) -> tuple[R, V | None]:
    result = produce()
    value = keep(result)
    if value is not None:
        _set(cache, key, value, timeout)
    return result, value


# The cache's calls: any error is a miss, a lease not taken or a write dropped, never the
# request's failure (a plain Redis cache raises when Redis is gone; the tolerant one does not).


def _get(cache: SharedCache | None, key: str) -> Any:
    if cache is None:
        return None
    try:
        return cache.get(key)
    except Exception as error:  # noqa: BLE001  (any cache failure is a miss)
        _warn("get", error)
        return None


def _add(cache: SharedCache | None, key: str, seconds: float) -> bool:
    if cache is None:
        return False
    try:
        return bool(cache.add(key, 1, timeout=seconds))
    except Exception as error:  # noqa: BLE001
        _warn("add", error)
        return False


def _set(cache: SharedCache | None, key: str, value: Any, seconds: float) -> None:
    if cache is None:
        return
    try:
        cache.set(key, value, timeout=seconds)
    except Exception as error:  # noqa: BLE001
        _warn("set", error)


def _delete(cache: SharedCache | None, key: str) -> None:
    if cache is None:
        return
    try:
        cache.delete(key)
    except Exception as error:  # noqa: BLE001
        _warn("delete", error)


def _warn(call: str, error: Exception) -> None:
    logger.warning("cache %s failed (%s: %s): served without it", call, type(error).__name__, error)


T = TypeVar("T")


class PerVersion(Generic[T]):
    """The one value a process keeps of something built per data version (the catalogue's
    facet index, its map table, its search matrix, the vocabularies of list pages): built once
    per version however many threads ask at once.

    A caller whose version the kept value already has reads it without the lock. On a miss
    the lock is taken and the version looked at again inside it, because another thread may
    have built it while this one waited; only then is `build(previous)` called, with the value
    kept so far (None at first) so that it can be patched rather than built from nothing.
    An error in `build` is the caller's: it propagates and the previous value stays kept."""

    def __init__(self, version_of: Callable[[T], Any] = attrgetter("version")) -> None:
        self._version_of = version_of
        self._lock = threading.Lock()
        self._value: T | None = None  # replaced whole (one assignment), so read without lock

    def get(self, version: Any, build: Callable[[T | None], T]) -> T:
        """The value of `version`: the kept one when it has that version, else `build`'s."""
        value = self._value
        if value is not None and self._version_of(value) == version:
            return value
        with self._lock:
            value = self._value
            if value is not None and self._version_of(value) == version:
                return value
            value = build(value)
            self._value = value
            return value

    @property
    def current(self) -> T | None:
        """The value kept now, whatever its version (None before the first build)."""
        return self._value

    def keep(self, value: T | None) -> None:
        """Keep `value` as it is (tests and benchmarks; None forgets)."""
        with self._lock:
            self._value = value
