import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from partnernet.core.demo import DEMO_STEPS


class Command(BaseCommand):
    help = "Migrate, load the reference data and the seed network. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--skip-migrate", action="store_true")

    def handle(self, *args, skip_migrate: bool = False, **options):
        if not skip_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        for label, step in DEMO_STEPS:
            started = time.perf_counter()
            step()
            if options["verbosity"]:
                self.stdout.write(f"{label}: done in {time.perf_counter() - started:.1f} s")
