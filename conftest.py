"""Test set-up shared by every app: the demo data (registry + seed network) in every test
database."""

import contextlib
import os
import shutil
import sys

import pytest
from hypothesis import settings

from partnernet.core.demo import DEMO_STEPS

# On PostgreSQL, every test's writes are compared with the audit rows (issue 4); property tests
# must reach the outcomes they name and must not refuse every input (issue 11).
pytest_plugins = ["partnernet.audit.pytest_plugin", "partnernet.lib.testing_properties"]
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def load_demo_data() -> None:
    for _label, step in DEMO_STEPS:
        step()


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language():
    """A test that activates a language (a request, a rendered e-mail, `activate`) must not
    leave it to the next: each test starts with none active, as a new request does, so
    `reverse()` answers in the site's default language whatever ran before."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the registry and the seed network once per test database."""
    with django_db_blocker.unblock():
        load_demo_data()
    _TEST_DB_READY.append(True)


def _ensure_demo_data(django_db_blocker) -> None:
    from partnernet.partnerships.models import Partnership

    with django_db_blocker.unblock():
        if not Partnership.objects.exists():
            load_demo_data()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Property tests that also check they were not vacuous (counting accepted examples or the kinds
# of step taken) must not pass or fail by luck: the suite explores the same examples on every
# run and database. `HYPOTHESIS_PROFILE=explore` searches afresh (more examples, random seeds).
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (defined once here: a session fixture imported
    into several modules would start several Playwright loops)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium not found: browser tests skipped")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _BROWSERS.append(instance)
        yield instance
        _BROWSERS.clear()
        instance.close()


_BROWSERS: list = []


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    """Close every page a browser test left open before its fixtures are torn down: a page
    still autosaving or polling would otherwise write while the live server's database is
    flushed (seen as "FOREIGN KEY constraint failed" at teardown)."""
    for instance in _BROWSERS:
        for context in list(instance.contexts):
            for tab in list(context.pages):
                # a page that never settles is closed anyway
                with contextlib.suppress(Exception):
                    tab.wait_for_load_state("networkidle", timeout=2000)
            context.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


def pytest_report_header(config):
    found = os.path.exists(CHROMIUM)
    db = os.environ.get("DATABASE_URL", "sqlite (in memory)")
    return [
        f"database: {db.split('@')[-1]}",
        f"browser tests: {'Chromium at ' + CHROMIUM if found else 'SKIPPED, no Chromium found'}",
    ]


def pytest_terminal_summary(terminalreporter):
    if not os.path.exists(CHROMIUM):
        terminalreporter.write_sep(
            "!", "BROWSER TESTS SKIPPED: Chromium not found (apt-get install chromium)", red=True
        )


_DB_BLOCKER = []


@pytest.fixture(scope="session", autouse=True)
def _remember_db_blocker(django_db_blocker):
    _DB_BLOCKER.append(django_db_blocker)


DB_FIXTURES = {"db", "transactional_db", "live_server"}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any test that touches the database: put the demo data back if a transactional
    test flushed it (pytest-django flushes when such a test ends). This runs before the test's
    fixtures, so no test transaction is open yet and the reload is committed once."""
    fixtures = set(getattr(item, "fixturenames", ()))
    uses_db = item.get_closest_marker("django_db") or DB_FIXTURES & fixtures
    if uses_db and _DB_BLOCKER and _TEST_DB_READY:
        _ensure_demo_data(_DB_BLOCKER[0])


_TEST_DB_READY: list[bool] = []


# `.ci/run` runs the suite on PostgreSQL and again on SQLite. Walks that only render every route
# (axe, one language per page) test the templates, not the database, so CI runs them once, on
# SQLite, by setting this on the PostgreSQL run; `make test` alone runs everything.
ONE_ENGINE = "PARTNERNET_ENGINE_INDEPENDENT_ELSEWHERE"


def pytest_collection_modifyitems(config, items):
    if os.environ.get(ONE_ENGINE) != "1":
        return
    skip = pytest.mark.skip(reason="renders pages only: CI runs it on the SQLite pass")
    for item in items:
        if item.get_closest_marker("engine_independent"):
            item.add_marker(skip)


@pytest.fixture
def eager_thread_switching():
    """Switch threads every microsecond instead of every 5 ms, so races show up in a test."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)
