from unittest import mock

import pytest
from django.db import DatabaseError


@pytest.mark.django_db
def test_healthz_answers_ok_with_the_database_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"
    assert response.json()["version"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client):
    # The database cursor is the boundary we cannot break for real inside one test database.
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=DatabaseError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_security_headers_on_html_pages(client):
    response = client.get("/en/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]


def migrated_sqlite(sqlite_file_database) -> tuple[str, str]:
    """A SQLite file holding Django's migration table with a row, as a migrated site has."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    alias, path = sqlite_file_database()
    MigrationRecorder(connections[alias]).record_applied("core", "0001_initial")
    return alias, path


def test_a_lost_sqlite_file_is_a_503_and_is_not_created_again(sqlite_file_database, monkeypatch):
    import os

    from django.test import Client

    from partnernet.core import views

    alias, path = migrated_sqlite(sqlite_file_database)
    monkeypatch.setattr(views, "HEALTH_DATABASE", alias)
    client = Client()
    assert client.get("/healthz").status_code == 200
    os.remove(path)  # the connection that read it is still open
    for _ in range(2):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {
            "status": "unavailable",
            "database": "unavailable",
            "version": response.json()["version"],
        }
    assert not os.path.exists(path)


def test_an_empty_database_is_not_healthy(sqlite_file_database):
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from partnernet.core.views import database_is_up

    alias, _path = sqlite_file_database()
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")  # SQLite creates the file: it answers, but holds nothing
    assert database_is_up(alias) is False
    MigrationRecorder(connections[alias]).ensure_schema()
    assert database_is_up(alias) is False  # the table, and no migration ever recorded
    MigrationRecorder(connections[alias]).record_applied("core", "0001_initial")
    assert database_is_up(alias) is True


@pytest.mark.django_db
def test_healthz_answers_head_and_is_never_cached(client):
    response = client.head("/healthz")
    assert response.status_code == 200 and response.content == b""
    assert client.get("/healthz")["Cache-Control"] == "no-store"
