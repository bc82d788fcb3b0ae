import uuid

import pytest
from django.db import connections

from partnernet.settings import parse_database_url


@pytest.fixture
def sqlite_file_database(tmp_path, django_db_blocker):
    """A function that adds a connection alias to a new SQLite file, configured as
    `DATABASE_URL=sqlite:///…` configures the site (option overrides allowed); returns
    (alias, path). The aliases are closed and removed afterwards."""
    made = []

    def make(**option_overrides) -> tuple[str, str]:
        alias = f"scratch_{uuid.uuid4().hex[:8]}"
        path = tmp_path / f"{alias}.sqlite3"
        config = parse_database_url(f"sqlite:///{path}")
        config["OPTIONS"].update(option_overrides)
        configured = connections.configure_settings({"default": dict(config), alias: config})
        connections.settings[alias] = configured[alias]
        made.append(alias)
        return alias, str(path)

    with django_db_blocker.unblock():
        yield make
        for alias in made:
            connections[alias].close()
            del connections.settings[alias]
