import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the background worker (Celery) that takes jobs from the broker (CELERY_BROKER_URL)."

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 1)
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args, concurrency: int, loglevel: str, **options):
        if not settings.CELERY_BROKER_URL:
            raise CommandError(
                "No broker: set CELERY_BROKER_URL (or REDIS_URL). Without one, jobs run in the "
                "web process after each change, and `partnernet run_jobs` runs waiting ones."
            )
        argv = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "partnernet",
            "worker",
            "--concurrency",
            str(concurrency),
            "--loglevel",
            loglevel,
            "--without-gossip",
            "--without-mingle",
        ]
        os.execv(sys.executable, argv)
