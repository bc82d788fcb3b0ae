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
