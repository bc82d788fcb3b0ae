import pytest


@pytest.fixture
def restored_demo_data(transactional_db):
    """Transactional tests (threads, the live server) may start from a database the previous
    one flushed: put the registry, the seed network and the demo grants back first."""
    from conftest import load_demo_data
    from partnernet.partnerships.models import Partnership

    if not Partnership.objects.exists():
        load_demo_data()


@pytest.fixture(autouse=True)
def _english():
    """Services speak the active language; the tests read their messages in English."""
    from django.utils import translation

    with translation.override("en"):
        yield
