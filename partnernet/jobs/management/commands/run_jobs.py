from django.core.management.base import BaseCommand
from django.utils import timezone

from partnernet.jobs.registry import REGISTRY
from partnernet.jobs.services import jobs_relay


class Command(BaseCommand):
    help = (
        "Hand every waiting job that is due to the broker, or run it here when there is none "
        "(cron without a worker); --scheduled NAME runs one timed job now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scheduled", choices=sorted(REGISTRY), default="")

    def handle(self, *args, scheduled: str, **options):
        if scheduled:
            result = REGISTRY[scheduled]()
            self.stdout.write(f"{scheduled}: {result}")
            return
        handed = jobs_relay(now=timezone.now())
        self.stdout.write(f"{handed} waiting jobs started")
