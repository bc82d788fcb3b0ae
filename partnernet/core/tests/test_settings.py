import subprocess
import sys

import pytest

from partnernet.core.checks import production_setting_errors
from partnernet.settings import parse_database_url

STRONG_KEY = "k3y-" + "x9Q!a7Zp" * 8


def test_database_url_reads_postgres_and_sqlite():
    pg = parse_database_url("postgres://postgres@127.0.0.1:5432/partnernet")
    assert (
        pg["ENGINE"].endswith("postgresql") and pg["NAME"] == "partnernet" and pg["PORT"] == "5432"
    )
    assert parse_database_url("sqlite:///var/x.sqlite3")["NAME"] == "var/x.sqlite3"
    assert parse_database_url("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"
    with pytest.raises(ValueError):
        parse_database_url("mysql://x")


def test_production_settings_refuse_the_demo_key_and_missing_hosts():
    errors = production_setting_errors(
        debug=False, secret_key="insecure-demo-key-only-for-make-demo-and-tests", allowed_hosts=[]
    )
    assert {e.id for e in errors} == {"partnernet.E002", "partnernet.E003"}
    assert not production_setting_errors(
        debug=False, secret_key=STRONG_KEY, allowed_hosts=["partnernet.se"]
    )


def test_partnernet_refuses_to_start_with_debug_off_and_the_demo_key(tmp_path):
    env = {"DEBUG": "0", "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "partnernet", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "partnernet.E002" in result.stderr


def test_check_deploy_passes_under_production_settings(tmp_path):
    env = {
        "DEBUG": "0",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "partnernet.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "partnernet", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_trusted_proxies_must_be_addresses_or_networks():
    from partnernet.core.checks import trusted_proxy_errors

    assert trusted_proxy_errors(["10.0.0.0/8", "192.0.2.1", "2001:db8::/32", "unix"]) == []
    errors = trusted_proxy_errors(["10.0.0.0/8", "proxy.internal", "300.1.1.1"])
    assert [e.id for e in errors] == ["partnernet.E004", "partnernet.E004"]


def test_partnernet_refuses_to_start_with_a_trusted_proxy_that_is_not_an_address(tmp_path):
    env = {
        "TRUSTED_PROXIES": "10.0.0.0/8,load-balancer",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "partnernet", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "partnernet.E004" in result.stderr and "load-balancer" in result.stderr


@pytest.mark.parametrize("command", [["suggest_partners", "2080"], ["export_iati"]])
def test_a_command_before_the_set_up_says_what_to_run_instead_of_a_traceback(tmp_path, command):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "partnernet", *command], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "run `partnernet setup_demo`" in result.stderr


@pytest.mark.django_db
def test_a_database_error_on_a_set_up_database_is_not_hidden(monkeypatch):
    """The friendly message is for a database that was never set up, nothing else."""
    from django.core import management
    from django.db import DatabaseError

    from partnernet import __main__ as entry

    def broken(argv):
        raise DatabaseError("deadlock detected")

    monkeypatch.setattr(management, "execute_from_command_line", broken)
    monkeypatch.setattr(sys, "argv", ["partnernet", "suggest_partners", "2080"])
    monkeypatch.delenv("DATABASE_STATEMENT_TIMEOUT_MS", raising=False)  # main() sets it
    with pytest.raises(DatabaseError, match="deadlock"):
        entry.main()
