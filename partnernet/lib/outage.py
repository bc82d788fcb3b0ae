"""What a database outage looks like from inside a request (issue 15).

A stopped, restarting or unreachable database, a connection it dropped, or a statement it
cancelled (the statement timeout) reaches the code as one of `OUTAGE_ERRORS`: Django wraps the
driver's errors in its own, and psycopg's are listed too for what is raised outside Django's
wrapper. The site answers them with 503 and `Retry-After` (`partnernet.core.errors` for pages,
`partnernet.api.problems` for the API) instead of a 500; the request after the database is back
connects again by itself (`CONN_HEALTH_CHECKS`).
"""

import psycopg
from django.db import InterfaceError, OperationalError

OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
# What `Retry-After` says: the database is usually back within a minute (a restart, a fail-over).
RETRY_AFTER_SECONDS = 60


def is_database_outage(error: BaseException | None) -> bool:
    return isinstance(error, OUTAGE_ERRORS)


def describe(error: BaseException) -> str:
    """The driver's message on one log line (libpq's run over several, with hints)."""
    return " ".join(str(error).split())
