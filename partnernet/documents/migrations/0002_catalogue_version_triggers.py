"""The catalogue's pages are answered with a validator of the catalogue data version: a
document published or taken off the public page must change it (as every table the public
page shows does), so these triggers bump it on every write to documents."""

from django.db import migrations

from partnernet.lib.version_triggers import create_statements, drop_statements

TABLES = ["documents_document", "documents_documentversion"]


def install(apps, schema_editor):
    for table in TABLES:
        for statement in create_statements(schema_editor.connection.vendor, table):
            schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    for table in TABLES:
        for statement in drop_statements(schema_editor.connection.vendor, table):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("catalogue", "0004_version_triggers_after_publication"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
