"""The public partnership page names the public meetings a partnership comes to, and is
answered with a validator of the catalogue data version: a meeting changed or a registration
made or cancelled must change it (as every table the public page shows does), so these
triggers bump it on every write to events and registrations."""

from django.db import migrations

from partnernet.lib.version_triggers import create_statements, drop_statements

TABLES = ["events_event", "events_registration"]


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
        ("events", "0002_network_meetings"),
        ("catalogue", "0004_version_triggers_after_publication"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
