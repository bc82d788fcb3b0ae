from django.core.management.base import BaseCommand

from partnernet.notifications.tasks import send_digests


class Command(BaseCommand):
    help = (
        "Hand the daily notification digests (and notifications still owed by e-mail) to the "
        "outbox, whose jobs send them (safe to run twice; a missed day is caught up)."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} e-mail(s) sent")
