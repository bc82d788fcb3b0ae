"""Counting writes against audit rows (PostgreSQL): the proof that no write path escapes.

`pg_stat_xact_user_tables` counts every row inserted, updated or deleted in the current
transaction, by any means; every such row on a tracked table must have produced exactly one
`audit_rowchange` row. Used by the suite-wide check in `partnernet.audit.pytest_plugin`.
"""

from dataclasses import dataclass

from django.db import connection

from .triggers import tracked_tables

SNAPSHOT_SQL = """
SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del) FILTER (WHERE relname = ANY(%s)), 0),
       coalesce(sum(n_tup_ins) FILTER (WHERE relname = 'audit_rowchange'), 0)
FROM pg_stat_xact_user_tables WHERE schemaname = current_schema()
"""


@dataclass(frozen=True)
class Snapshot:
    writes: int
    audit_rows: int

    def __sub__(self, other: "Snapshot") -> "Snapshot":
        return Snapshot(self.writes - other.writes, self.audit_rows - other.audit_rows)


def snapshot() -> Snapshot:
    """Rows written to tracked tables, and audit rows written, so far in this transaction."""
    with connection.cursor() as cursor:
        cursor.execute(SNAPSHOT_SQL, [list(tracked_tables())])
        writes, audit_rows = cursor.fetchone()
    return Snapshot(int(writes), int(audit_rows))
