import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Catalogue pages are cached per data version; rolled-back tests can repeat a version."""
    cache.clear()
    yield
    cache.clear()
