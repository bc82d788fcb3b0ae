"""The change log of the facet index: triggers add one row per changed partnership (its id),
or one row with no partnership for a write to a vocabulary or the municipalities (which may
change every partnership), in the writing transaction, on PostgreSQL and SQLite alike. The
rows older than the newest 10 000 are deleted as new ones come (every 1 000th on PostgreSQL).

As with 0003, SQLite drops these triggers when a later migration rebuilds a watched table; such
a migration must put them back (`install` here is written to be re-run). Without them the
index still rebuilds on every data version change it cannot explain."""

from django.db import migrations, models

TABLE = "catalogue_indexchange"
KEEP = 10_000
# Table → the column naming the changed partnership.
ROWS = {
    "partnerships_partnership": "id",
    "partnerships_partnership_tags": "partnership_id",
    "partnerships_partnership_goals": "partnership_id",
    "catalogue_searchdocument": "partnership_id",
}
EVERYTHING = [
    "partnerships_tag", "partnerships_cooperationarea", "partnerships_network",
    "partnerships_goal", "municipalities_municipality",
]

PG_ROW = """
CREATE OR REPLACE FUNCTION catalogue_log_{column}() RETURNS trigger AS $$
DECLARE
  logged bigint;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO {table} (partnership_id, token) VALUES (OLD.{column}, floor(random() * 9e15)::bigint)
    RETURNING id INTO logged;
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.{column} IS DISTINCT FROM OLD.{column}) THEN
    INSERT INTO {table} (partnership_id, token) VALUES (NEW.{column}, floor(random() * 9e15)::bigint)
    RETURNING id INTO logged;
  END IF;
  IF mod(logged, 1000) = 0 THEN
    DELETE FROM {table} WHERE id <= logged - {keep};
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql"""
PG_EVERYTHING = """
CREATE OR REPLACE FUNCTION catalogue_log_everything() RETURNS trigger AS $$
BEGIN
  INSERT INTO {table} (partnership_id, token) VALUES (NULL, floor(random() * 9e15)::bigint);
  RETURN NULL;
END
$$ LANGUAGE plpgsql"""

SQLITE_CLEAN = f"DELETE FROM {TABLE} WHERE id <= (SELECT max(id) FROM {TABLE}) - {KEEP};"


def _sqlite_row(table: str, column: str, event: str) -> str:
    if event == "INSERT":
        body = f"INSERT INTO {TABLE} (partnership_id, token) VALUES (NEW.{column}, random());"
    elif event == "DELETE":
        body = f"INSERT INTO {TABLE} (partnership_id, token) VALUES (OLD.{column}, random());"
    else:
        body = (
            f"INSERT INTO {TABLE} (partnership_id, token) VALUES (OLD.{column}, random()); "
            f"INSERT INTO {TABLE} (partnership_id, token) SELECT NEW.{column}, random() "
            f"WHERE NEW.{column} IS NOT OLD.{column};"
        )
    return (f"CREATE TRIGGER catalogue_log_{table}_{event[:3].lower()} AFTER {event} "
            f'ON "{table}" BEGIN {body} {SQLITE_CLEAN} END')


def _sqlite_everything(table: str, event: str) -> str:
    return (f"CREATE TRIGGER catalogue_log_{table}_{event[:3].lower()} AFTER {event} "
            f'ON "{table}" BEGIN INSERT INTO {TABLE} (partnership_id, token) '
            f"VALUES (NULL, random()); {SQLITE_CLEAN} END")


def install(apps, schema_editor):
    uninstall(apps, schema_editor)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for column in sorted(set(ROWS.values())):
            schema_editor.execute(PG_ROW.format(column=column, table=TABLE, keep=KEEP))
        schema_editor.execute(PG_EVERYTHING.format(table=TABLE))
        for table, column in ROWS.items():
            schema_editor.execute(
                f'CREATE TRIGGER catalogue_log_{table} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                f"FOR EACH ROW EXECUTE FUNCTION catalogue_log_{column}()"
            )
            schema_editor.execute(
                f'CREATE TRIGGER catalogue_log_{table}_truncate AFTER TRUNCATE ON "{table}" '
                "FOR EACH STATEMENT EXECUTE FUNCTION catalogue_log_everything()"
            )
        for table in EVERYTHING:
            schema_editor.execute(
                f"CREATE TRIGGER catalogue_log_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION catalogue_log_everything()'
            )
    elif vendor == "sqlite":
        for table, column in ROWS.items():
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(_sqlite_row(table, column, event))
        for table in EVERYTHING:
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(_sqlite_everything(table, event))


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in [*ROWS, *EVERYTHING]:
        if vendor == "postgresql":
            schema_editor.execute(f'DROP TRIGGER IF EXISTS catalogue_log_{table} ON "{table}"')
            schema_editor.execute(
                f'DROP TRIGGER IF EXISTS catalogue_log_{table}_truncate ON "{table}"'
            )
        elif vendor == "sqlite":
            for event in ("ins", "upd", "del"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS catalogue_log_{table}_{event}")


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0004_version_triggers_after_publication'),
        ('partnerships', '0004_delete_networkmeeting'),
        ('municipalities', '0002_partner_kinds_regions_other_countries'),
    ]

    operations = [
        migrations.CreateModel(
            name='IndexChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('partnership_id', models.BigIntegerField(null=True)),
                ('token', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'catalogue index change',
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
