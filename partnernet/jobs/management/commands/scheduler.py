import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Run the scheduler (celery beat) that starts the timed jobs: digests, report "
        "reminders, open data, the outbox relay. Run exactly one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument(
            "--schedule-file",
            default=str(settings.VAR_DIR / "celerybeat-schedule"),
            help="where beat remembers the last runs (lost: every job is idempotent)",
        )

    def handle(self, *args, loglevel: str, schedule_file: str, **options):
        if not settings.CELERY_BROKER_URL:
            raise CommandError("No broker: set CELERY_BROKER_URL (or REDIS_URL).")
        argv = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "partnernet",
            "beat",
            "--loglevel",
            loglevel,
            "--schedule",
            schedule_file,
        ]
        os.execv(sys.executable, argv)
