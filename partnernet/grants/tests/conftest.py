import pytest


@pytest.fixture(autouse=True)
def _english():
    """Services speak the active language; the tests read their messages in English."""
    from django.utils import translation

    with translation.override("en"):
        yield
