"""The open data (IATI results, budgets and transactions; the results and finances datasets)
show the approved plans, the approved reports' values and money, the reimbursements and the
agreements' budgets, and are answered with a validator of the catalogue data version: every
write to these tables must change it, so these triggers bump it (once per statement)."""

from django.db import migrations

from partnernet.lib.version_triggers import create_statements, drop_statements

TABLES = [
    "reports_resultsplan",
    "reports_planstatement",
    "reports_planindicator",
    "reports_plantarget",
    "reports_report",
    "reports_indicatorvalue",
    "reports_expenditure",
    "reports_reimbursement",
    "grants_agreement",
    "grants_budgetline",
]


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
        ("reports", "0001_initial"),
        ("catalogue", "0004_version_triggers_after_publication"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
