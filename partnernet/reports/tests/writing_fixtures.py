"""Shared set-up of the report-writing tests: a draft report of a demo partnership, signed-in
clients, the page's addresses and the narrative form as the page holds it."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse
from django.utils import translation

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.grants.tests.factories import parse_draft_form
from partnernet.partnerships.models import Partnership
from partnernet.reports.models import IndicatorValue, Report, ReportKind, ReportSection
from partnernet.reports.services.indicators import indicator_rows
from partnernet.reports.services.writing import report_sections_ensure


def report_of(slug: str, **fields) -> Report:
    partnership = Partnership.objects.get(slug=slug)
    return Report.objects.create(
        partnership=partnership,
        kind=ReportKind.MILESTONE,
        component="project",
        title=fields.pop("title", "Milestone report"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        due_on=date(2026, 8, 31),
        **fields,
    )


def client_of(email: str) -> Client:
    return sign_in(Client(), User.objects.get(email=email))


def url(name: str, report: Report, lang: str = "sv") -> str:
    with translation.override(lang):
        return reverse(f"reports:{name}", kwargs={"slug": report.partnership.slug, "pk": report.pk})


def page_form(client: Client, report: Report, lang: str = "sv") -> dict[str, str]:
    response = client.get(url("detail", report, lang))
    assert response.status_code == 200
    return parse_draft_form(response.content.decode())


def section(report: Report, key: str) -> ReportSection:
    return ReportSection.objects.get(report=report, key=key)


FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def fill(report: Report, texts: dict[str, str] | None = None) -> None:
    """Every section written in its original language (Swedish), and a value for every
    indicator of the partnership's plan (the submit step asks for both)."""
    for s in report_sections_ensure(report):
        ReportSection.objects.filter(pk=s.pk).update(
            text_sv=(texts or {}).get(s.key, f"Text om {s.key}")
        )
    for row in indicator_rows(report):
        IndicatorValue.objects.update_or_create(
            report=report, indicator=row.indicator, defaults={"value": 1}
        )
