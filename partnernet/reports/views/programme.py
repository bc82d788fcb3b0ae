"""The programme at a glance (`programme:dashboard`), its XLSX export (`programme:export`) and
the funder's budget (`programme:budget`): for programme and finance officers
(`Perm.PROGRAMME_VIEW`). Thin: check the filters, compute the figures, render.

A filter value that is not one of the choices answers 400 with the form and its message
(never a 500); the export refuses the same way."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from partnernet.accounts.permissions import Perm, requires
from partnernet.municipalities.countries import COUNTRIES

from .. import programme
from ..programme_export import XLSX, dashboard_workbook


def _language() -> str:
    return get_language() or "sv"


def country_name(code: str) -> str:
    """A country of the reference data in the reader's language (the code when unknown)."""
    info = COUNTRIES.get(str(code))
    if info is None:
        return str(code)
    return info.names.get(_language()) or info.names["sv"]


def _filters(request) -> tuple[programme.FilterForm, programme.Filters | None]:
    form = programme.filter_form(request.GET, language=_language())
    return form, (form.filters() if form.is_valid() else None)


def _refused(request, form, template: str) -> HttpResponse:
    return render(request, template, {"form": form, "refused": True}, status=400)


@requires(Perm.PROGRAMME_VIEW)
@require_GET
def dashboard(request) -> HttpResponse:
    form, filters = _filters(request)
    if filters is None:
        return _refused(request, form, "reports/programme.html")
    board = programme.dashboard(filters, language=_language(), country_names=country_name)
    context = {
        "form": form,
        "board": board,
        "charts": board.charts,
        "query": request.GET.urlencode(),
        "money_labels": programme.money_labels(),
        "due_soon_days": programme.DUE_SOON_DAYS,
    }
    return render(request, "reports/programme.html", context)


@requires(Perm.PROGRAMME_VIEW)
@require_GET
def export(request) -> HttpResponse:
    form, filters = _filters(request)
    if filters is None:
        return _refused(request, form, "reports/programme.html")
    language = _language()
    board = programme.dashboard(filters, language=language, country_names=country_name)
    response = HttpResponse(dashboard_workbook(board, country_name), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="programme-{language}.xlsx"'
    return response


@requires(Perm.PROGRAMME_VIEW)
@require_GET
def budget(request) -> HttpResponse:
    form, filters = _filters(request)
    if filters is None:
        return _refused(request, form, "reports/programme_budget.html")
    figures = programme.budget(filters, language=_language())
    context = {
        "form": form,
        "budget": figures,
        "query": request.GET.urlencode(),
        "tables": [
            ("calls", programme.BUDGET_TITLES["calls"], figures.calls, figures.totals["calls"]),
            (
                "components",
                programme.BUDGET_TITLES["components"],
                figures.components,
                figures.totals["components"],
            ),
            (
                "partnerships",
                programme.BUDGET_TITLES["partnerships"],
                figures.partnerships,
                figures.totals["partnerships"],
            ),
        ],
    }
    return render(request, "reports/programme_budget.html", context)


urlpatterns: list[URLPattern] = [
    path("", dashboard, name="dashboard"),
    path("export.xlsx", export, name="export"),
    path("budget/", budget, name="budget"),
]
