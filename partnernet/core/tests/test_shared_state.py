"""The health check's Redis clients, shared by a threaded worker's requests, are made once per
Redis (issue 16, "correct under threads")."""

import threading
from concurrent.futures import ThreadPoolExecutor

from partnernet.core import views
from partnernet.lib.testing_services import free_port

THREADS = 8


def test_concurrent_health_checks_of_one_redis_make_one_client(monkeypatch, eager_thread_switching):
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens: every ping fails fast
    monkeypatch.setattr(views, "_redis_clients", {})
    made = []
    real = views.redis.Redis.from_url

    def counting(*args, **kwargs):
        made.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(views.redis.Redis, "from_url", counting)
    start = threading.Barrier(THREADS)

    def check(_):
        start.wait()
        return views.redis_is_up(url)

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(check, range(THREADS)))
    assert answers == [False] * THREADS
    assert made == [url]
