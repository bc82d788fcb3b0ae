import time
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from partnernet.jobs.models import SelftestRun
from partnernet.jobs.registry import REGISTRY
from partnernet.jobs.services import broker_configured, job_enqueue, jobs_relay


class Command(BaseCommand):
    help = (
        "Hand every waiting job that is due to the broker, or run it here when there is none "
        "(cron without a worker); --scheduled NAME runs one timed job now; --selftest sends a "
        "diagnostic job through the whole pipeline (outbox, broker, worker) and waits for it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scheduled", choices=sorted(REGISTRY), default="")
        parser.add_argument("--selftest", action="store_true")
        parser.add_argument("--wait", type=float, default=30.0, help="selftest: seconds to wait")

    def handle(self, *args, scheduled: str, selftest: bool, wait: float, **options):
        if selftest:
            self._selftest(wait)
            return
        if scheduled:
            result = REGISTRY[scheduled]()
            self.stdout.write(f"{scheduled}: {result}")
            return
        handed = jobs_relay(now=timezone.now())
        self.stdout.write(f"{handed} waiting jobs started")

    def _selftest(self, wait: float) -> None:
        token = uuid.uuid4().hex
        started = time.monotonic()
        with transaction.atomic():
            job = job_enqueue(name="jobs.selftest", arguments={"token": token})
        where = "the worker" if broker_configured() else "this process (no broker)"
        while not SelftestRun.objects.filter(marker=token).exists():
            if time.monotonic() - started > wait:
                raise CommandError(
                    f"selftest: job {job.pk} not run by {where} within {wait:g} s; it waits in "
                    "the outbox (is the worker running, does it reach the database?)"
                )
            time.sleep(0.1)
        elapsed = time.monotonic() - started
        self.stdout.write(f"selftest: job {job.pk} run by {where} in {elapsed:.2f} s")
