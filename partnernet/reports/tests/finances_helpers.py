"""Shared set-up of the finances tests: Falun–Kolomyia's granted inception application (three
budget lines, the inception ceiling of SEK 220 000 over the whole agreement) with its
agreement and a draft annual report over the agreement's period."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import translation

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.grants.models import Agreement, Application
from partnernet.grants.services.agreements import agreement_generate
from partnernet.partnerships.models import Partnership
from partnernet.reports.models import ExchangeRate, Report
from partnernet.reports.tests.clean import reports_cleared

OWN = "falun-kolomyia"
HEADER = ["Paid on", "Description", "Cost category", "Currency", "Amount", "Rate (SEK per unit)"]


def own_report() -> Report:
    own = Partnership.objects.get(slug=OWN)
    application = Application.objects.filter(partnership=own).order_by("pk").first()
    agreement = Agreement.objects.filter(application=application).first()
    if agreement is None:
        agreement = agreement_generate(application=application)
    reports_cleared(own)
    ExchangeRate.objects.all().delete()  # the demo's; each test records the rates it needs
    return Report.objects.create(
        partnership=own,
        agreement=agreement,
        kind="annual",
        component=application.call.component,
        accounting_year=agreement.starts_on.year,
        period_start=agreement.starts_on,
        period_end=agreement.ends_on,
        due_on=agreement.ends_on,
    )


def client_of(email: str) -> Client:
    return sign_in(Client(), User.objects.get(email=email))


def url(name: str, report: Report, *, lang: str = "en", **kwargs) -> str:
    with translation.override(lang):
        return reverse(
            f"reports:{name}", kwargs={"slug": report.partnership.slug, "pk": report.pk, **kwargs}
        )


def csv_bytes(rows: list[list[str]], *, delimiter: str = ";", bom: bool = True) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    for row in rows:
        writer.writerow(row)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def good_rows(report: Report, count: int, amount: str = "100,50") -> list[list[str]]:
    day = report.period_start.isoformat()
    return [[day, f"Tågbiljett {n}", "travel", "SEK", amount, ""] for n in range(1, count + 1)]


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def total_sek(report: Report) -> Decimal:
    return sum((e.amount_sek for e in report.expenditures.all()), Decimal(0))
