"""One name for the pair (issue 11.1): `swedish_partner` / `partner`, as on partnerships and
applications. Renames only: the data stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0002_protected_state"),
    ]

    operations = [
        migrations.RenameField(
            model_name="matchproposal", old_name="swedish", new_name="swedish_partner"
        ),
        migrations.RenameField(
            model_name="letterofintent", old_name="swedish_municipality", new_name="swedish_partner"
        ),
        migrations.RenameField(
            model_name="letterofintent", old_name="partner_municipality", new_name="partner"
        ),
    ]
