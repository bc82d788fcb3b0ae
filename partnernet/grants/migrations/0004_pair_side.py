"""One side vocabulary (issue 11.1): a team member's side is `swedish` or `partner`
(`partnerships.models.PairSide`); the stored "se" becomes "swedish"."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    apps.get_model("grants", "TeamMember").objects.filter(side="se").update(side="swedish")


def backwards(apps, schema_editor):
    apps.get_model("grants", "TeamMember").objects.filter(side="swedish").update(side="se")


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0003_protected_state"),
    ]

    operations = [
        migrations.AlterField(
            model_name="teammember",
            name="side",
            field=models.CharField(
                choices=[("swedish", "Swedish partner"), ("partner", "international partner")],
                max_length=8,
                verbose_name="side",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
