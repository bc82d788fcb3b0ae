"""Queue history written by the system becomes message keys with parameters (`lib.systemtext`),
rendered in each reader's language; the mover's name is no longer stored as display text."""

from django.db import migrations
from django.utils.translation import gettext_noop

from partnernet.lib.languages import LANGUAGES
from partnernet.lib.systemtext import recognise

# Every reason the platform itself wrote into queue history before this migration, by key.
KEYS = [
    gettext_noop("Seed network: from ICLD's announcement of the six granted partnerships"),
    gettext_noop("Matched by ICLD"),
    gettext_noop("Letter of intent signed by both"),
    gettext_noop("Inception application submitted"),
    gettext_noop("Granted by ICLD"),
    gettext_noop("Interest profile registered"),
    gettext_noop("Proposed for a match"),
    gettext_noop("Letter of intent confirmed by both sides"),
    gettext_noop("Both sides accepted the match %(a)s – %(b)s"),
]


def forwards(apps, schema_editor):
    QueueMove = apps.get_model("matchmaking", "QueueMove")
    for move in QueueMove.objects.all().iterator():
        fields = []
        stored = recognise(move.reason, KEYS, LANGUAGES)
        if stored is not None:
            move.reason = stored
            fields.append("reason")
        if move.actor_label and (move.actor_id is not None or move.actor_label == "system"):
            move.actor_label = ""  # the page names the mover from `actor`
            fields.append("actor_label")
        if fields:
            move.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0004_join_requests")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
