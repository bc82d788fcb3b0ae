"""Suite-wide audit completeness on PostgreSQL: after every test that runs inside one database
transaction, the rows written to tracked tables must equal the audit rows written.

Tests whose writes were partly rolled back (a savepoint rolled back after an expected error)
are only checked for "no more audit rows than writes", because PostgreSQL's counters keep the
rolled-back writes while the rolled-back audit rows are gone.
"""

import pytest

TOTALS = {"tests": 0, "writes": 0, "audit_rows": 0, "partial": 0}


class RollbackSpy:
    def __init__(self):
        self.rolled_back = False

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("ROLLBACK"):
            self.rolled_back = True
        try:
            return execute(sql, params, many, context)
        except Exception:
            self.rolled_back = True
            raise


def _in_one_transaction(request) -> bool:
    names = set(request.fixturenames)
    if {"transactional_db", "live_server", "django_db_serialized_rollback"} & names:
        return False
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:
        return not marker.kwargs.get("transaction", False)
    return "db" in names


@pytest.fixture(autouse=True)
def _audit_completeness(request):
    if not _in_one_transaction(request):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    from partnernet.audit.completeness import snapshot

    spy = RollbackSpy()
    before = snapshot()
    with connection.execute_wrapper(spy):
        yield
    if connection.needs_rollback:
        return  # the test broke its transaction on purpose; nothing to compare
    delta = snapshot() - before
    TOTALS["tests"] += 1
    TOTALS["writes"] += delta.writes
    TOTALS["audit_rows"] += delta.audit_rows
    if spy.rolled_back:
        TOTALS["partial"] += 1
        assert delta.audit_rows <= delta.writes
    else:
        assert delta.audit_rows == delta.writes, (
            f"{delta.writes} rows written to tracked tables, {delta.audit_rows} audit rows"
        )


def pytest_terminal_summary(terminalreporter):
    if TOTALS["tests"]:
        terminalreporter.write_line(
            f"audit completeness (PostgreSQL): {TOTALS['tests']} tests compared, "
            f"{TOTALS['writes']} tracked row writes, {TOTALS['audit_rows']} audit rows, "
            f"{TOTALS['partial']} with rolled-back savepoints checked for <=; none missing"
        )
