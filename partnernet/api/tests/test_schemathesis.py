"""Schemathesis (every check) against the OpenAPI document, in-process through WSGI."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from partnernet.api.api import api
from partnernet.wsgi import application

# A cursor is opaque: any string is schema-valid, and only the server knows whether it names
# an item of this list, so the partnerships list may refuse a valid-looking one with its
# documented 400 (problem+json, reason malformed/other-filters/stale). Every other operation
# keeps the default: schema-valid input is accepted.
# schemathesis' own default for positive data acceptance, plus the cursor's 400.
DEFAULT_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                "include-name": "GET /api/v1/partnerships",
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": [*DEFAULT_ACCEPTED, "400"]}
                },
            }
        ]
    }
)
schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(path_prefix="/api/v1/"), config=CONFIG
)
schema.app = application


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As django.test.Client does: the WSGI handler must not close the test's connection
    (on PostgreSQL that would end the test transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    settings.API_RATE_LIMIT = "100000/min"
    cache.clear()


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case):
    case.call_and_validate()
