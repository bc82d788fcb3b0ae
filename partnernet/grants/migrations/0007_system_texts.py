"""The demo history's decision reasons become a message key (`lib.systemtext`), rendered in
each reader's language (they were stored in Swedish)."""

from django.db import migrations
from django.utils.translation import gettext_noop

from partnernet.lib.languages import LANGUAGES
from partnernet.lib.systemtext import recognise

KEYS = [
    gettext_noop(
        "Demo data: ICLD's announcement lists the partnership among those granted funds. "
        "The amount has not been published and is left empty."
    ),
]


def forwards(apps, schema_editor):
    Application = apps.get_model("grants", "Application")
    for application in Application.objects.exclude(decision_reasons="").iterator():
        stored = recognise(application.decision_reasons, KEYS, LANGUAGES)
        if stored is not None:
            Application.objects.filter(pk=application.pk).update(decision_reasons=stored)


class Migration(migrations.Migration):
    dependencies = [("grants", "0006_signoffs_exceptions_letters")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
