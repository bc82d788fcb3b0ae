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
from partnernet.reports.models import (
    IndicatorValue,
    PlanIndicator,
    PlanState,
    Report,
    ReportKind,
    ReportSection,
)
from partnernet.reports.services.writing import report_sections_ensure


def report_of(slug: str, *, values: bool = True, **fields) -> Report:
    """A draft milestone report of the pair; with `values`, a value for every indicator of its
    approved results plan (submitting needs them; these tests are about the narrative)."""
    partnership = Partnership.objects.get(slug=slug)
    report = Report.objects.create(
        partnership=partnership,
        kind=ReportKind.MILESTONE,
        component="project",
        title=fields.pop("title", "Milestone report"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        due_on=date(2026, 8, 31),
        **fields,
    )
    if values:
        indicators = PlanIndicator.objects.filter(
            statement__plan__partnership=partnership, statement__plan__state=PlanState.APPROVED
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(report=report, indicator=item, value=1) for item in indicators
        )
    return report


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
    """Every section written in its original language (Swedish); `report_of` gave the values."""
    for s in report_sections_ensure(report):
        ReportSection.objects.filter(pk=s.pk).update(
            text_sv=(texts or {}).get(s.key, f"Text om {s.key}")
        )
