"""Several application servers on one PostgreSQL and one Redis (issue 15, item 2), and the
"Redis stopped" fault drill (item 4): real gunicorn processes and a private Redis, started here,
on a copy of the migrated test database (demo rows included) in a private PostgreSQL cluster.

Each server is production-configured (`server_environment`: DEBUG off, `__Host-` cookies that
are `Secure`, so the little browser below keeps its cookies itself: urllib's cookie jar would not
send a secure cookie over the loopback's plain HTTP).
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
import urllib.error
import urllib.request
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
import redis
from django.db import connection

from partnernet.core.demo_accounts import DEMO_PASSWORD
from partnernet.lib.testing_services import (
    Gunicorn,
    PostgresCluster,
    RedisServer,
    copy_database,
    drill_marks,
    running,
    server_environment,
    wait_until,
)
from partnernet.partnerships.models import Partnership

pytestmark = [*drill_marks("redis-server", "initdb", "pg_ctl", "pg_dump"), pytest.mark.django_db]

SLUG = "falun-kolomyia"
COORDINATOR = "falun@demo.example"  # coordinates falun-kolomyia (demo accounts)
OTHER_PERSON = "member@demo.example"
LOCKED_MESSAGE = "Too many failed sign-ins"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the answer is the redirect itself (raised as HTTPError, read below)


OPENER = urllib.request.build_opener(NoRedirect)


class Answer:
    def __init__(self, status: int, body: str, headers, seconds: float) -> None:
        self.status, self.body, self.headers, self.seconds = status, body, headers, seconds


class Browser:
    """A person's browser: one cookie jar, whichever server it talks to (as behind a load
    balancer), English pages."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self, url: str, *, method: str = "GET", form=None, body=None, headers=None, timeout=10
    ) -> Answer:
        sent = {"Accept-Language": "en", **(headers or {})}
        data = None
        if form is not None:
            data = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.monotonic()
        try:
            response = OPENER.open(
                urllib.request.Request(url, data=data, headers=sent, method=method),
                timeout=timeout,
            )
        except urllib.error.HTTPError as error:  # 3xx (no redirects followed), 4xx, 5xx
            response = error
        text = response.read().decode("utf-8", errors="replace")
        seconds = time.monotonic() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Answer(response.status, text, response.headers, seconds)

    def csrf_cookie(self) -> str:
        return next(v for k, v in self.cookies.items() if k.endswith("csrftoken"))

    def session_cookie(self) -> str | None:
        return next((v for k, v in self.cookies.items() if k.endswith("sessionid")), None)

    def form_token(self, page_url: str) -> str:
        """The CSRF token of the form on a page, read as a browser would."""
        page = self.request(page_url)
        assert page.status == 200, page.status
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert token is not None
        return token.group(1)

    def sign_in(self, server: str, email: str, password: str) -> Answer:
        """Through the real form: its page gives the CSRF token, the post signs in."""
        token = self.form_token(f"{server}/accounts/login/")
        return self.request(
            f"{server}/accounts/login/",
            method="POST",
            form={"csrfmiddlewaretoken": token, "email": email, "password": password},
        )

    def sign_out(self, server: str) -> Answer:
        token = self.form_token(f"{server}/accounts/")
        return self.request(
            f"{server}/accounts/logout/", method="POST", form={"csrfmiddlewaretoken": token}
        )


def signed_out(answer: Answer) -> bool:
    """A signed-in page answered with the way to the sign-in form."""
    return answer.status == 302 and "/accounts/login/" in answer.headers.get("Location", "")


def source_database_url() -> str:
    """The pytest test database (migrated, the demo rows committed), as a URL."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER']}{password}@{host}:{port}/{s['NAME']}"


@pytest.fixture(scope="module")
def cluster():
    """One private PostgreSQL for this module's drills."""
    private = PostgresCluster().start()
    yield private
    private.remove()


@pytest.fixture
def database(cluster, request) -> str:
    """A copy of the test database for the servers of one test: what they write (a changed
    summary, failed sign-ins, sessions) stays out of the test database, and no test has to
    wait for the demo rows to be loaded again, as it would after a transactional test."""
    name = "servers_" + re.sub(r"\W", "_", request.node.name)[-40:].lower()
    return copy_database(source_database_url(), cluster, name)


def environment(database: str, cache: RedisServer, **more: str) -> dict[str, str]:
    return server_environment(
        DATABASE_URL=database,
        CACHE_URL=cache.url,
        REDIS_URL="",
        CELERY_BROKER_URL="",  # jobs run in the web process after the commit
        **more,
    )


def keys_in(cache: RedisServer, pattern: str = "*") -> list[bytes]:
    return list(redis.Redis.from_url(cache.url).scan_iter(match=pattern, count=1000))


def test_two_servers_share_writes_sessions_lockouts_and_rate_limits(database):
    partnership = Partnership.objects.get(slug=SLUG)
    assert partnership.publication == "published"
    cache = RedisServer()
    shared = environment(database, cache, API_RATE_LIMIT="30/min")
    first, second = Gunicorn(shared, threads=2), Gunicorn(shared, threads=2)
    with running(cache, first, second):
        a, b = first.url, second.url
        reader = Browser()  # anonymous: catalogue pages come from the shared page cache

        # Negative first: nobody is signed in anywhere.
        coordinator = Browser()
        assert signed_out(coordinator.request(f"{b}/en/me/"))

        # (a) A write through one server is seen through the other at once, though the other
        # had the pages cached. The catalogue page is cached in Redis by the data version.
        marker = f"Shared-servers marker {uuid.uuid4().hex[:10]}"
        for _ in range(2):
            before = reader.request(f"{b}/en/partnerships/")
            assert before.status == 200
            assert marker not in before.body
            assert reader.request(f"{b}/en/partnerships/{SLUG}/").status == 200
        assert keys_in(cache, "*catalogue:*"), "the catalogue page is cached in Redis"

        signed_in = coordinator.sign_in(a, COORDINATOR, DEMO_PASSWORD)
        assert signed_in.status == 302, signed_in.body[:500]
        assert coordinator.session_cookie()
        written = coordinator.request(
            f"{a}/api/v1/me/partnerships/{SLUG}",
            method="PATCH",
            body={"language": "en", "summary": marker},
            headers={"X-CSRFToken": coordinator.csrf_cookie(), "Accept": "application/json"},
        )
        assert written.status == 200, written.body[:500]

        after = reader.request(f"{b}/en/partnerships/")
        assert after.status == 200
        assert marker in after.body
        detail = reader.request(f"{b}/en/partnerships/{SLUG}/")
        assert marker in detail.body

        # (b) The session made on one server is signed in on the other.
        me = coordinator.request(f"{b}/en/me/")
        assert me.status == 200
        assert "Coordinator Falun" in me.body
        # It lives in the database: the cache emptied, the other server still knows it.
        redis.Redis.from_url(cache.url).flushdb()
        assert coordinator.request(f"{b}/en/me/").status == 200
        # Signed out through the other server: signed out on the first one too.
        assert coordinator.sign_out(b).status == 302
        assert signed_out(coordinator.request(f"{a}/en/me/"))

        # (c) A lock-out after failed sign-ins on one server holds on the other.
        intruder = Browser()
        for attempt in range(10):
            failed = intruder.sign_in(a, OTHER_PERSON, f"wrong-{attempt}")
            assert failed.status in (400, 429)
        assert failed.status == 429
        person = Browser()
        refused = person.sign_in(b, OTHER_PERSON, DEMO_PASSWORD)  # the right password
        assert refused.status == 429
        assert LOCKED_MESSAGE in refused.body
        assert person.session_cookie() is None
        assert signed_out(person.request(f"{b}/en/me/"))

        # The API's rate limit counts both servers' requests together: 30 a minute from this
        # address (the cache was emptied above, so the PATCH no longer counts).
        answered = 0
        for turn in range(40):
            status = reader.request(f"{(a, b)[turn % 2]}/api/v1/goals").status
            if status == 429:
                break
            assert status == 200
            answered += 1
        assert answered == 30


def test_redis_stopped_pages_still_serve_and_the_cache_returns_by_itself(database, capsys):
    cache = RedisServer()
    server = Gunicorn(
        environment(database, cache, CACHE_RETRY_AFTER="1", API_RATE_LIMIT="4/min"), threads=2
    )
    with running(cache, server):
        url = server.url
        person = Browser()
        assert person.sign_in(url, COORDINATOR, DEMO_PASSWORD).status == 302
        pages = {
            "catalogue": f"{url}/en/partnerships/",
            "partnership": f"{url}/en/partnerships/{SLUG}/",
            "API": f"{url}/api/v1/partnerships",
            "signed-in page": f"{url}/en/me/",
        }
        anonymous = Browser()
        for name, page in pages.items():
            who = person if name == "signed-in page" else anonymous
            assert who.request(page).status == 200, name
        assert keys_in(cache), "Redis is used while it runs"
        # The API's limit (4 a minute) holds while Redis runs: the one above and three more.
        for _ in range(3):
            assert anonymous.request(pages["API"]).status == 200
        assert anonymous.request(pages["API"]).status == 429

        cache.stop()
        # Redis stopped: every page answers, the API too (its rate limit fails open).
        timings: dict[str, list[float]] = {}
        for _round in range(3):
            for name, page in pages.items():
                who = person if name == "signed-in page" else anonymous
                answer = who.request(page, timeout=5)
                assert answer.status == 200, (name, answer.status, answer.body[:300])
                assert answer.seconds < 2.0, (name, answer.seconds)
                timings.setdefault(name, []).append(answer.seconds)
        assert "Coordinator Falun" in person.request(pages["signed-in page"]).body
        # A sign-in while Redis is down works too (the session is written to the database).
        late = Browser()
        assert late.sign_in(url, OTHER_PERSON, DEMO_PASSWORD).status == 302
        assert late.request(pages["signed-in page"]).status == 200

        cache.start()
        # No restart: within the retry period the server uses Redis again. Keys in Redis alone do
        # not show it (the metrics counters write there through their own client): the cache's
        # breaker says so in the log when a call reached Redis again.
        wait_until(
            lambda: (
                anonymous.request(pages["catalogue"]).status == 200
                and bool(keys_in(cache))
                and "answers again" in server.log.read_text()
            ),
            timeout=10,
            every=0.3,
            what="the cache used again",
        )
        assert person.request(pages["signed-in page"]).status == 200

        # Redis hung (stopped, not gone: connections are accepted, nothing is answered): the
        # first request waits for one read timeout, the next ones not at all.
        assert cache.process is not None
        os.kill(cache.process.pid, signal.SIGSTOP)
        try:
            for _round in range(2):
                for name, page in pages.items():
                    who = person if name == "signed-in page" else anonymous
                    answer = who.request(page, timeout=5)
                    assert answer.status == 200, (name, answer.status)
                    assert answer.seconds < 2.0, (name, answer.seconds)
                    timings.setdefault(f"{name} (hung)", []).append(answer.seconds)
        finally:
            os.kill(cache.process.pid, signal.SIGCONT)
        log = server.log.read_text()
        assert log.count("is unreachable") == 2, log[-3000:]  # once per outage
        assert log.count("answers again") == 1
    with capsys.disabled():
        print(
            "\nRedis stopped (3 rounds), then hung (2 rounds), seconds per page: "
            + ", ".join(f"{n} {' / '.join(f'{s:.3f}' for s in t)}" for n, t in timings.items())
        )
