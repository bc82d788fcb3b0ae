from django.core.management.base import BaseCommand

from partnernet.notifications.tasks import send_digests


class Command(BaseCommand):
    help = (
        "Send the daily notification digests and retry failed notification e-mails "
        "(safe to run twice; a missed day is caught up)."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} e-mail(s) sent")
