"""The tolerant Redis cache (issue 15): a Redis outage costs cache misses, never an error or a
hang; one warning per outage; it is used again, without a restart, once Redis answers; keys
written meanwhile are cleared so nothing stale is read back."""

import json
import logging
import socket
import subprocess
import sys
import time

import pytest
import redis

from partnernet.lib import cache as tolerant
from partnernet.lib.testing_services import (
    RedisServer,
    free_port,
    missing_programs,
    server_environment,
)

pytestmark = pytest.mark.skipif(bool(missing_programs("redis-server")), reason="needs redis-server")


def backend(url: str, retry_after: float = 0.3) -> tolerant.TolerantRedisCache:
    tolerant._breakers.pop(url, None)  # a fresh breaker per test
    return tolerant.TolerantRedisCache(url, {"RETRY_AFTER": retry_after})


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


def test_nothing_listening_every_call_misses_at_once_and_warns_once(caplog):
    cache = backend(f"redis://127.0.0.1:{free_port()}", retry_after=60)
    caplog.set_level(logging.WARNING, logger="partnernet.cache")
    started = time.monotonic()
    assert cache.get("page", "default") == "default"
    cache.set("page", b"body", 60)
    assert cache.add("lock", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("page") is False
    assert cache.delete("page") is False
    cache.set_many({"a": 1, "b": 2})
    cache.delete_many(["a", "b"])
    assert cache.touch("page") is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")
    for _ in range(50):
        assert cache.get("page") is None
    assert time.monotonic() - started < 1.0
    warnings = [r for r in caplog.records if r.name == "partnernet.cache"]
    assert len(warnings) == 1
    assert "unreachable" in warnings[0].getMessage()


def test_a_hung_redis_costs_about_a_second_once_then_nothing():
    # A listening socket that never answers: the connection is accepted by the kernel's
    # backlog, the read times out.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        cache = backend(f"redis://127.0.0.1:{silent.getsockname()[1]}", retry_after=60)
        started = time.monotonic()
        assert cache.get("page") is None
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(20):
            assert cache.get("page") is None
        rest = time.monotonic() - started
    assert first < 1.0  # one read timeout (0.5 s), not retried
    assert rest < 0.1


def test_working_redis_is_a_normal_cache(redis_server):
    cache = backend(redis_server.url)
    assert cache.get("missing") is None
    cache.set("page", b"body", 60)
    assert cache.get("page") == b"body"
    assert cache.add("page", b"other") is False
    assert cache.add("fresh", 1) is True
    assert cache.incr("fresh", 2) == 3
    assert cache.get_many(["page", "fresh", "none"]) == {"page": b"body", "fresh": 3}
    assert cache.delete("page") is True
    assert cache.has_key("page") is False


def test_used_again_after_restart_without_stale_values(redis_server, caplog):
    caplog.set_level(logging.WARNING, logger="partnernet.cache")
    cache = backend(redis_server.url, retry_after=0.3)
    cache.set("session", "signed in", 600)
    cache.set("untouched", "kept", 600)
    redis_server.stop()
    cache.delete("session")  # signed out during the outage: the delete cannot reach Redis
    cache.set("page", "new", 600)
    assert cache.get("untouched") is None
    # Redis comes back still holding the old values (a network cut, not a restart):
    redis_server.start()
    direct = redis.Redis.from_url(redis_server.url)
    direct.set(cache.make_key("session"), b"stale")
    direct.set(cache.make_key("page"), b"stale")
    time.sleep(0.35)
    assert cache.get("session") is None  # cleared before anything is read
    assert cache.get("page") is None
    cache.set("page", "fresh", 600)
    assert cache.get("page") == "fresh"
    assert direct.exists(cache.make_key("page")) == 1
    messages = [r.getMessage() for r in caplog.records if r.name == "partnernet.cache"]
    assert len(messages) == 2
    assert "unreachable" in messages[0]
    assert "answers again" in messages[1]
    assert "2 key(s)" in messages[1]


def test_during_the_outage_redis_is_tried_once_per_retry_period(redis_server, caplog):
    caplog.set_level(logging.WARNING, logger="partnernet.cache")
    cache = backend(redis_server.url, retry_after=0.5)
    redis_server.stop()
    assert cache.get("x") is None  # trips the breaker
    tries = 0
    original = tolerant.RedisCacheClient.get

    def counting(self, key, default):
        nonlocal tries
        tries += 1
        return original(self, key, default)

    tolerant.RedisCacheClient.get = counting  # type: ignore[method-assign]
    try:
        deadline = time.monotonic() + 1.2
        while time.monotonic() < deadline:
            cache.get("x")
            time.sleep(0.01)
    finally:
        tolerant.RedisCacheClient.get = original  # type: ignore[method-assign]
    assert 1 <= tries <= 3
    messages = [r.getMessage() for r in caplog.records if r.name == "partnernet.cache"]
    assert len(messages) == 1  # tried again and failed again: the same outage
    assert "unreachable" in messages[0]


def test_settings_use_it_with_sessions_in_the_database_behind_redis():
    script = (
        "import json, partnernet.settings as s; "
        "print(json.dumps([s.CACHES['default'], getattr(s, 'SESSION_ENGINE', None)]))"
    )
    environment = server_environment(CACHE_URL="redis://127.0.0.1:6399/3", CACHE_RETRY_AFTER="7")
    output = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    ).stdout
    caches, engine = json.loads(output)
    assert caches == {
        "BACKEND": "partnernet.lib.cache.TolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:6399/3",
        "RETRY_AFTER": 7.0,
    }
    assert engine == "django.contrib.sessions.backends.cached_db"
    environment.pop("CACHE_URL")
    environment.pop("REDIS_URL", None)
    output = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    ).stdout
    caches, engine = json.loads(output)
    assert caches["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert engine is None  # Django's default: sessions in the database
