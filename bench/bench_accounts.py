"""Accounts and audit: sign-in latency (real password hashing), the lock-out check, and the
cost of the row-audit triggers on a bulk update of every partnership (PostgreSQL)."""

import time

from django.db import connection, transaction
from django.test import Client

from bench.data import ensure_generated_partnerships
from bench.util import median, metric, timings_ms
from partnernet.accounts.services import login_locked_until
from partnernet.core.demo_accounts import DEMO_PASSWORD
from partnernet.partnerships.models import Partnership


def bulk_update_ms(*, triggers: bool) -> float:
    """One UPDATE of every partnership, rolled back; with or without the audit trigger."""
    with transaction.atomic():
        if not triggers:
            with connection.cursor() as cursor:
                cursor.execute(
                    "ALTER TABLE partnerships_partnership DISABLE TRIGGER partnernet_row_audit"
                )
        started = time.perf_counter()
        Partnership.objects.update(status="active")
        elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return elapsed


def run(ctx: dict) -> dict:
    results = {}
    client = Client()

    def sign_in():
        return client.post(
            "/accounts/login/", {"email": "member@demo.example", "password": DEMO_PASSWORD}
        )

    results["accounts_sign_in_ms"] = metric(median(timings_ms(sign_in, 5)), "ms")

    def check():
        return login_locked_until(email="member@demo.example", ip_address="127.0.0.1")

    results["accounts_lockout_check_ms"] = metric(median(timings_ms(check, 50)), "ms")
    if connection.vendor == "postgresql":
        rows = max(ensure_generated_partnerships(n=10_000), Partnership.objects.count())
        with_triggers = median([bulk_update_ms(triggers=True) for _ in range(3)])
        without = median([bulk_update_ms(triggers=False) for _ in range(3)])
        results["audit_bulk_update_10k_ms"] = metric(with_triggers, "ms")
        results["audit_trigger_overhead_ratio"] = metric(
            with_triggers / max(without, 0.001), "ratio"
        )
        results["audit_rows_per_bulk_update"] = metric(rows, "rows", lower_is_better=False)
    return results
