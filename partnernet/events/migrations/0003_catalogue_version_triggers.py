"""The public partnership page names the public meetings a partnership comes to, and is
answered with a validator of the catalogue data version: a meeting changed or a registration
made or cancelled must change it (as every table the public page shows does), so these
triggers bump it on every write to events and registrations."""

from django.db import migrations

TABLES = ["events_event", "events_registration"]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TRIGGER catalogue_version_{table} AFTER INSERT OR UPDATE OR DELETE "
                f'OR TRUNCATE ON "{table}" FOR EACH STATEMENT '
                "EXECUTE FUNCTION catalogue_bump_version()"
            )
        elif vendor == "sqlite":
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER catalogue_version_{table}_{event[:3].lower()} AFTER {event} "
                    f'ON "{table}" BEGIN INSERT INTO catalogue_dataversion (id, version) '
                    "VALUES (1, random()) ON CONFLICT (id) DO UPDATE SET version = "
                    "excluded.version; END"
                )


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f'DROP TRIGGER IF EXISTS catalogue_version_{table} ON "{table}"')
        elif vendor == "sqlite":
            for event in ("ins", "upd", "del"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS catalogue_version_{table}_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_network_meetings"),
        ("catalogue", "0004_version_triggers_after_publication"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
