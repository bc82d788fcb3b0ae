"""Row-level audit on PostgreSQL: one trigger per tracked table writes into `audit_rowchange`.

Why our own trigger instead of pghistory event models: pghistory needs an event model (and a
migration) in the app that owns each tracked model, and the other apps are written in parallel.
One generic trigger function, installed after every `migrate` on every table of the project's
apps, records every INSERT, UPDATE and DELETE (ORM, bulk updates, raw SQL alike) into ONE
append-only table, so a table added tomorrow is tracked without anyone remembering to.

Personal data never enters that table: each trigger is given the columns its model declares
personal (`audit.personal`: identity, attributes, mentions, derived copies and secrets) and
leaves them out of the before/after snapshots, so erasing a person never has to rewrite the
history. A model that declares a new personal field gets it left out at the next `migrate`.
"""

from django.apps import apps
from django.db import connection
from django.db.models import Model

from .personal import history_redacted_columns

# Tables we do not track: the audit tables themselves, and high-churn technical records
# (sign-in failures, session bookkeeping) that are security logs of their own.
UNTRACKED_TABLES = {
    "audit_rowchange",
    "audit_auditentry",
    "accounts_loginfailure",
    "accounts_sessionrecord",
    "catalogue_dataversion",  # a cache key bumped by triggers, not data
    "jobs_job",  # the outbox of background work: operational, its effects are audited
}
TRACKED_APP_PREFIX = "partnernet."
TRIGGER_NAME = "partnernet_row_audit"

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION partnernet_row_audit() RETURNS trigger AS $$
DECLARE
  actor text := nullif(current_setting('partnernet.actor_id', true), '');
  personal text[] := CASE WHEN TG_NARGS > 1 AND TG_ARGV[1] <> ''
                          THEN string_to_array(TG_ARGV[1], ',') ELSE '{}'::text[] END;
  old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) - personal END;
  new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) - personal END;
BEGIN
  INSERT INTO audit_rowchange (table_name, row_pk, op, before, after, changed_at, actor_id)
  VALUES (TG_TABLE_NAME, coalesce(new_row ->> TG_ARGV[0], old_row ->> TG_ARGV[0], ''),
          TG_OP, old_row, new_row, clock_timestamp(), actor::bigint);
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION partnernet_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_rowchange is append-only';
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE TRIGGER partnernet_append_only BEFORE UPDATE OR DELETE ON audit_rowchange
  FOR EACH ROW EXECUTE FUNCTION partnernet_append_only();
"""


def _tracked_models() -> dict[str, type[Model]]:
    models = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.app_config.name.startswith(TRACKED_APP_PREFIX):
            continue
        if meta.proxy or not meta.managed or meta.db_table in UNTRACKED_TABLES:
            continue
        models[meta.db_table] = model
    return models


def tracked_tables() -> dict[str, str]:
    """{table name: primary-key column} of every concrete model of the project's apps."""
    return {table: _pk_column(model) for table, model in _tracked_models().items()}


def _pk_column(model: type[Model]) -> str:
    pk = model._meta.pk
    assert pk is not None and pk.column  # every concrete model has a primary-key column
    return pk.column


def redacted_columns() -> dict[str, list[str]]:
    """{table name: the personal columns its trigger leaves out} (read from the declarations)."""
    return {table: history_redacted_columns(model) for table, model in _tracked_models().items()}


def install_row_triggers(using: str = "default", **kwargs) -> int:
    """Create or refresh the trigger on every tracked table; returns how many. PostgreSQL only."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "postgresql":
        return 0
    existing = set(conn.introspection.table_names())
    personal = redacted_columns()
    tables = {t: pk for t, pk in tracked_tables().items() if t in existing}
    with conn.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        for table, pk in tables.items():
            redacted = ",".join(personal.get(table, ()))
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER_NAME} AFTER INSERT OR UPDATE OR DELETE "
                f'ON "{table}" FOR EACH ROW EXECUTE FUNCTION '
                f"partnernet_row_audit('{pk}', '{redacted}')"
            )
    return len(tables)


def on_post_migrate(sender, using="default", **kwargs) -> None:
    # post_migrate is sent once per app; install once, when the audit app's turn comes.
    if sender.name == "partnernet.audit":
        install_row_triggers(using=using)


def set_actor(user_id: int | None) -> None:
    """Tell the triggers who is writing, for this database connection (PostgreSQL only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('partnernet.actor_id', %s, false)", [str(user_id or "")]
            )
