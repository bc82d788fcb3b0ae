"""The programme at a glance and the funder's budget at 1 000 partnerships (each with a granted
application and an agreement), 5 000 reports and 100 000 expenditure rows: the queries per page
(the same as at 10 partnerships: constant) and the time to draw each (p50 of several runs).
Then 10 000 expenditure rows: a CSV through the real import (preview, then confirmation) and a
plain `bulk_create` of as many rows (time and peak memory). Everything is made inside a
transaction that is rolled back."""

from __future__ import annotations

import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from bench.util import count_queries, median, metric, timings_ms
from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.grants.models import Agreement, Application, Call, CostCategory
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Network, Partnership
from partnernet.reports.expenditure_import import template_csv
from partnernet.reports.models import Expenditure, Reimbursement, Report
from partnernet.reports.services.finances import (
    expenditure_import_confirm,
    expenditure_import_preview,
)

SLUG = "bench-programme"
SMALL, LARGE = 10, 1_000
REPORTS_PER_PARTNERSHIP = 5
EXPENDITURES_PER_REPORT = 20
IMPORT_ROWS = 10_000
RUNS = 7
STATES = ["draft", "submitted", "returned", "approved", "approved"]


def _network() -> tuple[Network, Call]:
    network = Network.objects.create(slug=SLUG, name="Bench programme", funder="ICLD")
    call = Call.objects.create(network=network, component="project", title="Bench call")
    return network, call


def generate(network: Network, call: Call, start: int, count: int) -> None:
    """`count` partnerships (numbers `start`…) with their grant, agreement, five reports, twenty
    costs per report and a reimbursement per approved report, all by bulk_create."""
    swedish = list(Municipality.objects.filter(country_id="SE").order_by("code"))
    partners = list(Municipality.objects.filter(country_id="UA").order_by("code"))
    areas = list(CooperationArea.objects.order_by("pk"))
    category = CostCategory.objects.filter(eligible=True).order_by("pk").first()
    finance = User.objects.get(email="finance@icld.example")
    now, today = timezone.now(), timezone.localdate()
    numbers = range(start, start + count)
    partnerships = Partnership.objects.bulk_create(
        Partnership(
            slug=f"bench-p-{i}",
            title=f"Bench {i}",
            title_sv=f"Bench {i}",
            swedish_partner=swedish[i % len(swedish)],
            partner=partners[i % len(partners)],
            network=network,
            area=areas[i % len(areas)],
            phase=["inception", "project", "completed"][i % 3],
            status=["active", "active", "paused", "closed"][i % 4],
        )
        for i in numbers
    )
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            swedish_partner=p.swedish_partner,
            partner=p.partner,
            partnership=p,
            state="active",
            granted_amount=Decimal(500_000),
            decided_at=now,
        )
        for p in partnerships
    )
    agreements = Agreement.objects.bulk_create(
        Agreement(
            application=a,
            amount=Decimal(480_000),
            starts_on=date(2021, 1, 1),
            ends_on=date(2025, 12, 31),
        )
        for a in applications
    )
    reports = Report.objects.bulk_create(
        Report(
            partnership=p,
            agreement=agreement,
            kind="annual",
            component="project",
            accounting_year=2021 + k,
            period_start=date(2021 + k, 1, 1),
            period_end=date(2021 + k, 12, 31),
            due_on=today + timedelta(days=30 * k - 60),
            state=STATES[k],
        )
        for p, agreement in zip(partnerships, agreements, strict=True)
        for k in range(REPORTS_PER_PARTNERSHIP)
    )
    Expenditure.objects.bulk_create(
        (
            Expenditure(
                report=r,
                category=category,
                description=f"Cost {j}",
                paid_on=r.period_start,
                amount=Decimal(1000 + j),
                rate_date=r.period_start,
                amount_sek=Decimal(1000 + j),
            )
            for r in reports
            for j in range(EXPENDITURES_PER_REPORT)
        ),
        batch_size=5_000,
    )
    Reimbursement.objects.bulk_create(
        Reimbursement(
            report=r, amount=Decimal(20_000), paid_on=today, reference="B", recorded_by=finance
        )
        for r in reports[3::REPORTS_PER_PARTNERSHIP]
    )


def _import_file(results: dict) -> None:
    """A 10 000-row CSV through the real import: preview (read, check every row, keep the
    preview) and confirm (one bulk write), as a coordinator would, with time and peak memory."""
    partnership = Partnership.objects.filter(network__slug=SLUG).order_by("pk").first()
    report = Report.objects.create(  # a milestone report of its own: no agreement, no ceiling
        partnership=partnership,
        kind="milestone",
        component="project",
        title="Bench import",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        due_on=date(2025, 2, 28),
    )
    category = CostCategory.objects.filter(eligible=True).order_by("pk").first()
    coordinator = User.objects.get(email="falun@demo.example")
    header = template_csv("en", {}).decode("utf-8-sig").splitlines()[0]
    body = "".join(
        f"2024-{1 + i % 12:02d}-{1 + i % 28:02d};Train ticket {i};{category.slug};;SEK;"
        f"{10 + i % 90},50;;\n"
        for i in range(IMPORT_ROWS)
    )
    data = ("\ufeff" + header + "\n" + body).encode()
    tracemalloc.start()
    started = time.perf_counter()
    upload = expenditure_import_preview(
        report=report, file_name="bench.csv", data=data, actor=coordinator
    )
    previewed = time.perf_counter() - started
    assert not upload.errors, upload.errors[:3]
    report.refresh_from_db()
    _upload, written = expenditure_import_confirm(
        report=report, import_pk=upload.pk, version=report.version, actor=coordinator
    )
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert written == IMPORT_ROWS, written
    results["programme_import_10000_preview_s"] = metric(previewed, "s")
    results["programme_import_10000_s"] = metric(seconds, "s")
    results["programme_import_10000_peak_mb"] = metric(peak / 2**20, "MB")
    print(
        f"  import of {IMPORT_ROWS} rows (CSV, {len(data) / 2**20:.1f} MiB): preview "
        f"{previewed:.2f} s, with the confirmation {seconds:.2f} s, peak Python allocation "
        f"{peak / 2**20:.1f} MB (tracemalloc)"
    )


def _bulk_insert(results: dict) -> None:
    report = Report.objects.filter(partnership__network__slug=SLUG).order_by("pk").first()
    category = CostCategory.objects.filter(eligible=True).order_by("pk").first()
    today = timezone.localdate()
    tracemalloc.start()
    started = time.perf_counter()
    Expenditure.objects.bulk_create(
        (
            Expenditure(
                report=report,
                category=category,
                description=f"Imported {i}",
                paid_on=today,
                amount=Decimal(100 + i % 900),
                rate_date=today,
                amount_sek=Decimal(100 + i % 900),
            )
            for i in range(IMPORT_ROWS)
        ),
        batch_size=2_000,
    )
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    results["programme_expenditure_bulk_create_10000_s"] = metric(seconds, "s")
    results["programme_expenditure_bulk_create_10000_peak_mb"] = metric(peak / 2**20, "MB")
    print(
        f"  bulk_create {IMPORT_ROWS} expenditure rows: {seconds:.2f} s, "
        f"peak {peak / 2**20:.1f} MB (tracemalloc)"
    )


def run(ctx: dict) -> dict:
    results: dict = {}
    pages = {
        "dashboard": f"/sv/programme/?network={SLUG}",
        "budget": f"/sv/programme/budget/?network={SLUG}",
        "export": f"/sv/programme/export.xlsx?network={SLUG}",
        "dashboard_all": "/sv/programme/",
    }
    with transaction.atomic():
        client = sign_in(Client(), User.objects.get(email="officer@icld.example"))
        network, call = _network()
        generate(network, call, 0, SMALL)
        client.get(pages["dashboard"])  # warm: session, catalogues
        small = {name: count_queries(lambda u=u: client.get(u)) for name, u in pages.items()}
        started = time.perf_counter()
        generate(network, call, SMALL, LARGE - SMALL)
        made = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # as autovacuum would after a bulk load
                cursor.execute("ANALYZE")
        print(
            f"\n  generated {LARGE} partnerships, {LARGE * REPORTS_PER_PARTNERSHIP} reports, "
            f"{LARGE * REPORTS_PER_PARTNERSHIP * EXPENDITURES_PER_REPORT} expenditures "
            f"in {made:.1f} s"
        )
        print(f"  programme queries      {SMALL:>6} partnerships {LARGE:>6} partnerships   p50")
        for name, u in pages.items():
            assert client.get(u).status_code == 200, name
            large = count_queries(lambda u=u: client.get(u))
            ms = median(timings_ms(lambda u=u: client.get(u), RUNS))
            print(f"  {name:<22} {small[name]:>19} {large:>19}   {ms:.1f} ms")
            results[f"programme_{name}_queries_{LARGE}"] = metric(large, "queries")
            results[f"programme_{name}_queries_growth"] = metric(large - small[name], "queries")
            results[f"programme_{name}_ms_{LARGE}"] = metric(ms, "ms")
        _import_file(results)
        _bulk_insert(results)
        transaction.set_rollback(True)
    return results
