"""On SQLite, concurrent writers wait for each other instead of failing with "database is
locked": each thread has its own connection to one file-based database, configured exactly as
`DATABASE_URL=sqlite:///…` configures the site."""

import threading
import time

import pytest
from django.db import OperationalError, connections, transaction

from partnernet.settings import parse_database_url

THREADS = 8
INCREMENTS = 15


@pytest.fixture
def sqlite_alias(sqlite_file_database):
    """A new SQLite file with a one-row counter table; yields a function alias(**options)."""

    def make(**option_overrides) -> str:
        alias, _path = sqlite_file_database(**option_overrides)
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
            cursor.execute("INSERT INTO counter (id, n) VALUES (1, 0)")
        connections[alias].close()
        return alias

    return make


def hammer(alias: str) -> tuple[int, list[Exception]]:
    """THREADS threads each read the counter and write it back plus one, INCREMENTS times, in
    a transaction that reads before it writes (the pattern of most services)."""
    errors: list[Exception] = []
    start = threading.Barrier(THREADS)

    def work():
        try:
            start.wait()
            for _ in range(INCREMENTS):
                with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                    cursor.execute("SELECT n FROM counter WHERE id = 1")
                    (n,) = cursor.fetchone()
                    time.sleep(0.001)  # a service doing some work between its read and write
                    cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
        except Exception as exc:  # collected, asserted on below
            errors.append(exc)
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT n FROM counter WHERE id = 1")
        total = cursor.fetchone()[0]
    connections[alias].close()
    return total, errors


def test_the_site_configuration_takes_the_write_lock_at_the_start_and_waits_for_it():
    options = parse_database_url("sqlite:///var/x.sqlite3")["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5


def test_without_immediate_transactions_concurrent_writers_fail(sqlite_alias):
    """The failure the configuration prevents (so the test below is not passing by luck)."""
    total, errors = hammer(sqlite_alias(transaction_mode="DEFERRED"))
    assert errors, "expected 'database is locked' with deferred transactions"
    assert all(isinstance(e, OperationalError) and "locked" in str(e) for e in errors)


def test_concurrent_writers_wait_and_no_write_is_lost(sqlite_alias):
    total, errors = hammer(sqlite_alias())
    assert errors == []
    assert total == THREADS * INCREMENTS
