"""A Redis cache that a Redis outage cannot take the site down with (issue 15).

`TolerantRedisCache` is Django's `RedisCache` with three differences:

- short socket timeouts (connect 0.5 s, read 0.5 s; one immediate reconnect when a connection
  is found closed, none after a timeout), so a Redis that is gone or hung costs one request
  about half a second, never a hung worker;
- a circuit breaker per process and Redis: after a failure no call goes to Redis for
  `RETRY_AFTER` seconds (5 by default, `CACHE_RETRY_AFTER`); then one call tries again, and
  the first that succeeds closes it. Meanwhile every read misses (`get` gives the default,
  `get_many` nothing, `has_key` False), every write is dropped, so pages render afresh, the API
  rate limits let requests through (fail open) and cached-database sessions read the database;
- a warning in the log once when an outage begins (and a line when it ends), not per request.

Keys written or deleted while Redis was unreachable may hold an older value in Redis when it
returns (a session signed out meanwhile, say): the process remembers those keys (up to
`REMEMBER_KEYS`) and deletes them from Redis as soon as it reaches it again, before anything
else, so nothing stale is read back. Only keys written through this process are known to it;
each process clears its own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger("partnernet.cache")

CONNECT_TIMEOUT = 0.5
READ_TIMEOUT = 0.5
RETRY_AFTER = 5.0
REMEMBER_KEYS = 10_000
# What an unreachable, restarting, hung or read-only (failed-over) Redis raises.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ReadOnlyError, OSError)


class Breaker:
    """The state of one Redis as this process sees it, shared by its threads."""

    def __init__(self, name: str, retry_after: float) -> None:
        self.name = name
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.closed_again_at = 0.0  # monotonic time before which Redis is not tried
        self.down_since: float | None = None  # monotonic time the outage began
        self.stale: set[str] = set()  # keys whose write or delete did not reach Redis
        self.forgot = False  # more such keys than REMEMBER_KEYS

    def allows(self) -> bool:
        """Whether this call may try Redis: always while it is up; during an outage one call
        every `retry_after` seconds (the others miss at once)."""
        if self.down_since is None:
            return True
        with self.lock:
            now = time.monotonic()
            if now < self.closed_again_at:
                return False
            self.closed_again_at = now + self.retry_after  # this call is the one that tries
            return True

    def failed(self, error: Exception) -> None:
        with self.lock:
            self.closed_again_at = time.monotonic() + self.retry_after
            if self.down_since is not None:
                return
            self.down_since = time.monotonic()
        logger.warning(
            "The cache at %s is unreachable (%s: %s): serving without it, trying again every %g s",
            self.name,
            type(error).__name__,
            error,
            self.retry_after,
        )

    def remember(self, keys: Iterable[str]) -> None:
        with self.lock:
            for key in keys:
                if len(self.stale) >= REMEMBER_KEYS:
                    self.forgot = True
                    return
                self.stale.add(key)

    def owed(self) -> bool:
        """Whether an outage is to be settled before the next call (its stale keys cleared)."""
        return self.down_since is not None or bool(self.stale)

    def owed_keys(self) -> list[str]:
        with self.lock:
            return sorted(self.stale)

    def settled(self, cleared: list[str]) -> None:
        """Redis answered again and `cleared` are gone from it."""
        with self.lock:
            self.stale.difference_update(cleared)
            forgot, self.forgot = self.forgot, False
            down_since, self.down_since = self.down_since, None
        if down_since is not None:
            logger.warning(
                "The cache at %s answers again after %.1f s; %d key(s) written meanwhile cleared%s",
                self.name,
                time.monotonic() - down_since,
                len(cleared),
                " (more were written than remembered: they expire by themselves)" if forgot else "",
            )


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(name: str, retry_after: float) -> Breaker:
    with _breakers_lock:
        if name not in _breakers:
            _breakers[name] = Breaker(name, retry_after)
        return _breakers[name]


class TolerantRedisCacheClient(RedisCacheClient):
    """Django's Redis client, each call guarded by the process's breaker for its Redis."""

    def __init__(
        self, servers: list[str], *, retry_after: float = RETRY_AFTER, **options: Any
    ) -> None:
        options.setdefault("socket_connect_timeout", CONNECT_TIMEOUT)
        options.setdefault("socket_timeout", READ_TIMEOUT)
        # One immediate reconnect when a connection is found closed (a pooled connection that a
        # restarted Redis dropped is replaced at once); a timeout is not tried twice.
        options.setdefault("retry", Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)))
        super().__init__(servers, **options)
        self.breaker = breaker_for(",".join(servers), retry_after)

    def _guarded(
        self, fallback: Any, call: Callable[..., Any], *arguments: Any, written: Iterable[str] = ()
    ) -> Any:
        breaker = self.breaker
        if not breaker.allows():
            breaker.remember(written)
            return fallback
        owed = breaker.owed_keys() if breaker.owed() else None
        try:
            if owed:  # clear what went stale during the outage before anything is read
                for start in range(0, len(owed), 500):
                    RedisCacheClient.delete_many(self, owed[start : start + 500])
            result = call(self, *arguments)
        except UNAVAILABLE as error:
            breaker.failed(error)
            breaker.remember(written)
            return fallback
        if owed is not None:
            breaker.settled(owed)  # Redis answered: the outage is over
        return result

    def add(self, key: Any, value: Any, timeout: Any) -> Any:
        return self._guarded(False, RedisCacheClient.add, key, value, timeout, written=[key])

    def get(self, key: Any, default: Any) -> Any:
        return self._guarded(default, RedisCacheClient.get, key, default)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._guarded(None, RedisCacheClient.set, key, value, timeout, written=[key])

    def touch(self, key: Any, timeout: Any) -> Any:
        return self._guarded(False, RedisCacheClient.touch, key, timeout, written=[key])

    def delete(self, key: Any) -> Any:
        return self._guarded(False, RedisCacheClient.delete, key, written=[key])

    def get_many(self, keys: Any) -> Any:
        return self._guarded({}, RedisCacheClient.get_many, keys)

    def has_key(self, key: Any) -> Any:
        return self._guarded(False, RedisCacheClient.has_key, key)

    def incr(self, key: Any, delta: Any) -> Any:
        missing = object()
        result = self._guarded(missing, RedisCacheClient.incr, key, delta, written=[key])
        if result is missing:  # as for a key that is not there: nothing can be counted on
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")
        return result

    def set_many(self, data: Any, timeout: Any) -> Any:
        return self._guarded([], RedisCacheClient.set_many, data, timeout, written=list(data))

    def delete_many(self, keys: Any) -> Any:
        keys = list(keys)
        return self._guarded(None, RedisCacheClient.delete_many, keys, written=keys)

    def clear(self) -> Any:
        return self._guarded(False, RedisCacheClient.clear)


class TolerantRedisCache(RedisCache):
    """`CACHES` backend: `RETRY_AFTER` (seconds) next to `LOCATION`; `OPTIONS` go to the
    connection pool as with Django's own (`socket_connect_timeout`, `socket_timeout`, …)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        retry_after = float(params.get("RETRY_AFTER", RETRY_AFTER))
        self._class = TolerantRedisCacheClient
        self._options: dict[str, Any] = {**params.get("OPTIONS", {}), "retry_after": retry_after}
