"""SQLite rebuilds a table to add a NOT NULL column, and the rebuild drops its triggers:
partnerships 0003 (the publication lifecycle) rebuilt partnerships_partnership, so the data
version triggers of 0003 are put back on it. PostgreSQL keeps them; nothing to do there.

A later migration that rebuilds a watched table on SQLite needs the same step."""

from django.db import migrations

TABLE = "partnerships_partnership"


def reinstall(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for event in ("INSERT", "UPDATE", "DELETE"):
        name = f"catalogue_version_{TABLE}_{event[:3].lower()}"
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(
            f'CREATE TRIGGER {name} AFTER {event} ON "{TABLE}" '
            "BEGIN INSERT INTO catalogue_dataversion (id, version) VALUES (1, random()) "
            "ON CONFLICT (id) DO UPDATE SET version = excluded.version; END"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_data_version"),
        ("partnerships", "0003_publication_lifecycle"),
    ]

    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop)]
