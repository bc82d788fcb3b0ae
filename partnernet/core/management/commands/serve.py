import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Partnernet with gunicorn on 127.0.0.1:PORT (the demo server)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, port: int, host: str, workers: int, **options):
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "partnernet.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--timeout",
            "60",
        ]
        os.execv(sys.executable, argv)
