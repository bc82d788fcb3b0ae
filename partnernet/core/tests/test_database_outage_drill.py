"""Fault drill (issue 15): PostgreSQL stopped under load.

A private PostgreSQL cluster holds a copy of the migrated test database; gunicorn (2 workers x
4 threads, production settings) serves it while a few threads read the catalogue, a partnership
page, the API and /healthz. The cluster is stopped: every request answers 503 within 2 s (the
translated page in the address's language, a problem document from the API, /healthz naming the
database), none hangs, none is a 500. It is started again: within a few seconds every request
answers 200, from the same gunicorn processes (no restart). The figures are printed (`-s`).
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection

from partnernet.lib.testing_services import (
    Gunicorn,
    PostgresCluster,
    copy_database,
    missing_programs,
    running,
    server_environment,
    wait_until,
)

pytestmark = pytest.mark.postgres

# (kind, language, path): what the readers ask for, round and round.
READS = [
    ("page", "sv", "/sv/partnerships/"),
    ("page", "uk", "/uk/partnerships/falun-kolomyia/"),
    ("page", "en", "/en/"),
    ("api", "en", "/api/v1/partnerships?lang=en"),
    ("health", "", "/healthz"),
]
# What the 503 says, written out here rather than read from the catalogues under test.
UNAVAILABLE = {
    "sv": "Tjänsten är tillfälligt otillgänglig. Försök igen om en minut.",
    "uk": "Сервіс тимчасово недоступний. Спробуйте ще раз за хвилину.",
    "en": "The service is unavailable for a moment. Please try again in a minute.",
}
READERS = 4
HANG = 10.0  # a request still unanswered after this long is a hung worker
DOWN_FOR = 4.0


@dataclass
class Answer:
    kind: str
    language: str
    path: str
    started: float
    finished: float
    status: int  # 0: no answer at all (refused, reset, timed out)
    content_type: str
    body: str
    retry_after: str | None = None

    @property
    def seconds(self) -> float:
        return self.finished - self.started


def ask(base: str, kind: str, language: str, path: str) -> Answer:
    started = time.monotonic()
    status, content_type, body, retry_after = 0, "", "", None
    try:
        with urllib.request.urlopen(f"{base}{path}", timeout=HANG) as response:  # noqa: S310
            status, content_type = response.status, response.headers.get("Content-Type", "")
            body = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        status, content_type = error.code, error.headers.get("Content-Type", "")
        body = error.read().decode("utf-8", "replace")
        retry_after = error.headers.get("Retry-After")
    except OSError as error:
        body = repr(error)
    finished = time.monotonic()
    return Answer(kind, language, path, started, finished, status, content_type, body, retry_after)


class Readers:
    """A few threads reading READS until stopped; every answer is kept."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._read, args=(offset,), daemon=True)
            for offset in range(READERS)
        ]

    def _read(self, offset: int) -> None:
        turn = offset
        while not self._stop.is_set():
            answer = ask(self.base, *READS[turn % len(READS)])
            with self._lock:
                self.answers.append(answer)
            turn += 1

    def __enter__(self) -> Readers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(HANG + 5)

    def since(self, moment: float) -> list[Answer]:
        with self._lock:
            return [a for a in self.answers if a.started >= moment]


def says_unavailable(answer: Answer) -> bool:
    if answer.status != 503 or answer.retry_after != "60":
        return False
    if answer.kind == "page":
        return (
            answer.content_type.startswith("text/html")
            and f'<html lang="{answer.language}">' in answer.body
            and UNAVAILABLE[answer.language] in answer.body
        )
    body = json.loads(answer.body)
    if answer.kind == "api":
        return answer.content_type.startswith("application/problem+json") and body == {
            "type": "about:blank",
            "title": "Service unavailable",
            "status": 503,
            "instance": "/api/v1/partnerships",
            "detail": UNAVAILABLE["en"],
        }
    return body["status"] == "unavailable" and body["database"] == "unavailable"


def worker_pids(server: Gunicorn) -> set[int]:
    assert server.process is not None
    children = subprocess.run(
        ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True, check=False
    )
    return {server.process.pid, *map(int, children.stdout.split())}


def migrated_database_url() -> str:
    database = connection.settings_dict
    host = database["HOST"] or "127.0.0.1"
    return f"postgres://{database['USER']}@{host}:{database['PORT'] or 5432}/{database['NAME']}"


@pytest.mark.django_db
def test_postgres_stopped_under_load_answers_503_at_once_and_recovers_without_restart():
    if not settings.IS_POSTGRES:
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")
    if missing := missing_programs("initdb", "pg_ctl", "pg_dump", "psql", "pgrep"):
        pytest.skip(f"not installed: {', '.join(missing)}")
    cluster = PostgresCluster()
    try:
        cluster.start()
        url = copy_database(migrated_database_url(), cluster, "drill")
        environment = server_environment(
            DATABASE_URL=url,
            DATABASE_CONN_MAX_AGE="60",
            DATABASE_STATEMENT_TIMEOUT_MS="30000",
            CACHE_URL="",
            REDIS_URL="",
            CELERY_BROKER_URL="",
        )
        with running(Gunicorn(environment, workers=2, threads=4)) as (server,):
            drill(cluster, server)
    finally:
        cluster.remove()


def drill(cluster: PostgresCluster, server: Gunicorn) -> None:
    log = server.log
    for read in READS:  # warm: every read answers before the database stops
        wait_until(lambda read=read: ask(server.url, *read).status == 200, timeout=30, what=read)
    processes = worker_pids(server)
    assert len(processes) == 3, processes  # the master and its two workers
    with Readers(server.url) as readers:
        time.sleep(2)
        stopping = time.monotonic()
        cluster.stop()
        down = time.monotonic()
        time.sleep(DOWN_FOR)
        restarting = time.monotonic()
        cluster.start()
        up = time.monotonic()

        def all_answer_again() -> bool:
            recent = readers.since(time.monotonic() - 1.0)
            served = {(a.kind, a.path) for a in recent if a.status == 200}
            return len(served) == len(READS) and all(a.status == 200 for a in recent)

        wait_until(all_answer_again, timeout=20, every=0.1, what="service back")
        recovered = time.monotonic()
        time.sleep(1)
    answers = readers.answers
    trouble = [a for a in answers if a.status not in (200, 503)]
    assert not trouble, (trouble[:5], log.read_text()[-3000:])
    assert max(a.seconds for a in answers) < HANG

    while_down = [a for a in answers if a.started >= down and a.finished <= restarting]
    assert len(while_down) >= 3 * len(READS)
    assert {a.kind for a in while_down} == {"page", "api", "health"}
    wrong = [a for a in while_down if not says_unavailable(a)]
    assert not wrong, (wrong[:3], log.read_text()[-3000:])
    slowest_down = max(a.seconds for a in while_down)
    assert slowest_down < 2.0
    transition = [a for a in answers if stopping <= a.started < down or a.finished > restarting]
    assert all(a.status == 200 or says_unavailable(a) for a in transition)

    # Recovery: the answers after the last refused one are all 200, from the same processes.
    last_refused = max(a.finished for a in answers if a.status == 503)
    after = [a for a in answers if a.started > last_refused]
    assert after and all(a.status == 200 for a in after)
    back_after = max(0.0, last_refused - up)
    assert back_after < 5.0
    assert worker_pids(server) == processes, "gunicorn restarted a worker"
    figures = {
        "answers": len(answers),
        "answers_while_down": len(while_down),
        "slowest_answer_while_down_s": round(slowest_down, 3),
        "median_answer_while_down_s": round(
            sorted(a.seconds for a in while_down)[len(while_down) // 2], 4
        ),
        "stop_took_s": round(down - stopping, 2),
        "start_took_s": round(up - restarting, 2),
        "last_503_after_start_s": round(back_after, 3),
        "all_200_after_start_s": round(recovered - up, 3),
    }
    print("\ndatabase outage drill:", json.dumps(figures))
