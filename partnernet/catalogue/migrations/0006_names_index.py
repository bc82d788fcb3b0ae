"""A GIN index over the names alone (PostgreSQL): which lexical hits hold every query word in
their names used to be asked of the weighted `vector` (`word:A`), which makes PostgreSQL
recheck, and so detoast, every candidate: 50-70 ms at 100 000 documents for a common word,
0.1 ms from this index. SQLite's FTS5 table already has a names column."""

from django.db import migrations

INDEX = "catalogue_searchdocument_names"


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalogue_searchdocument "
            "USING GIN (to_tsvector('simple', names))"
        )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_change_log")]

    operations = [migrations.RunPython(install, uninstall)]
