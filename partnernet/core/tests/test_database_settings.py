"""PostgreSQL's timeouts and connection reuse (issue 15): a connection attempt gives up after
2 s, a web request's statement after DATABASE_STATEMENT_TIMEOUT_MS, and the `partnernet`
commands (migrate, backup, the worker) run without that limit unless told otherwise."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction

from partnernet import __main__ as entry
from partnernet.lib.outage import is_database_outage
from partnernet.settings import parse_database_url

URL = "postgres://postgres@127.0.0.1:5432/partnernet"


def test_a_sqlite_database_gets_no_postgres_options():
    options = parse_database_url("sqlite:///var/x.sqlite3")["OPTIONS"]
    assert "connect_timeout" not in options and "options" not in options


def test_postgres_gives_up_connecting_after_2_s_and_limits_statements_to_30_s(monkeypatch):
    monkeypatch.delenv("DATABASE_STATEMENT_TIMEOUT_MS", raising=False)
    monkeypatch.delenv("DATABASE_CONN_MAX_AGE", raising=False)
    config = parse_database_url(URL)
    assert config["OPTIONS"] == {
        "connect_timeout": "2",
        "options": "-c statement_timeout=30000",
    }
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True


def test_the_environment_and_the_url_change_the_defaults(monkeypatch):
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT_MS", "0")
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "0")
    config = parse_database_url(URL + "?connect_timeout=5")
    assert config["OPTIONS"] == {"connect_timeout": "5"}
    assert config["CONN_MAX_AGE"] == 0
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT_MS", "1500")
    options = parse_database_url(URL + "?options=-c%20search_path%3Dpn")["OPTIONS"]
    assert options["options"] == "-c statement_timeout=1500 -c search_path=pn"


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["partnernet", "migrate"], {}, "0"),
        (["partnernet", "worker"], {"DATABASE_STATEMENT_TIMEOUT_MS": "30000"}, "0"),
        (
            ["partnernet", "backup", "/x"],
            {"DATABASE_COMMAND_STATEMENT_TIMEOUT_MS": "600000"},
            "600000",
        ),
        (["partnernet", "serve"], {"DATABASE_STATEMENT_TIMEOUT_MS": "20000"}, "20000"),
        (["partnernet", "runserver"], {}, None),
    ],
)
def test_commands_other_than_the_web_servers_run_without_the_web_limit(argv, environ, expected):
    environ = dict(environ)
    entry.command_statement_timeout(argv, environ)
    assert environ.get("DATABASE_STATEMENT_TIMEOUT_MS") == expected


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_limits_reach_postgres_for_requests_and_not_for_commands():
    if not settings.IS_POSTGRES:
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")
    }
    environment.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="partnernet.settings")
    show = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SHOW statement_timeout')\n"
        "    print(c.fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-m", "partnernet", "shell", "-c", show],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "0"  # after the shell's own greeting


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_statement_over_the_limit_is_cancelled_as_an_outage_not_a_bug():
    if not settings.IS_POSTGRES:
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")
    # pytest.raises outside the savepoint: the error leaves it, so it is rolled back
    with (
        pytest.raises(OperationalError) as cancelled,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL statement_timeout = 50")
        cursor.execute("SELECT pg_sleep(1)")
    assert "statement timeout" in str(cancelled.value)
    assert is_database_outage(cancelled.value)
