"""A report's indicator values (`reports:indicators`): each indicator of the report's results
plan with its baseline, the target of the report's year, the actual value and a comment, and
its status; the team saves the values while the report is being written.

Reading is `authenticated` and the fetch answers the rest (`REPORT_VIEW`, everyone else 404);
saving `requires(REPORT_WRITE)` (403 for whoever holds it nowhere), then the fetch. A refused
save re-renders what was typed (400; 409 when stale)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partnernet.accounts.permissions import (
    Perm,
    authenticated,
    may,
    partnership_target,
    requires,
)

from ..plan_forms import indicator_entries
from ..selectors import report_for_user
from ..services.indicators import StaleReport, indicator_rows, indicator_values_save


def _page(request, report, *, posted=None, errors=None, status: int = 200) -> HttpResponse:
    rows = indicator_rows(report)
    errors = errors or {}
    shown = []
    for row in rows:
        pk = row.indicator.pk
        value = posted.get(f"value-{pk}", "") if posted is not None else None
        comment = posted.get(f"comment-{pk}", "") if posted is not None else None
        shown.append(
            {
                "row": row,
                "value": value,
                "comment": row.comment if comment is None else comment,
                "errors": errors.get(f"value-{pk}", []),
            }
        )
    context = {
        "report": report,
        "partnership": report.partnership,
        "rows": shown,
        "version": report.version,
        "may_write": report.is_writable
        and may(request.user, Perm.REPORT_WRITE, partnership_target(report.partnership)),
        "general_errors": errors.get("__all__", []),
    }
    return render(request, "reports/plan_indicators.html", context, status=status)


@authenticated
@require_GET
def indicators(request, slug: str, pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk)
    return _page(request, report)


@requires(Perm.REPORT_WRITE)
@require_POST
def indicators_save(request, slug: str, pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_WRITE)
    rows = indicator_rows(report)
    entries = indicator_entries(request.POST, [row.indicator.pk for row in rows])
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        indicator_values_save(actor=request.user, report=report, version=version, entries=entries)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            errors = {
                k: [str(m) for e in v for m in e.messages] for k, v in error.error_dict.items()
            }
        else:
            errors = {"__all__": list(error.messages)}
        if isinstance(error, StaleReport):
            report.refresh_from_db(fields=["version"])
        status = 409 if isinstance(error, StaleReport) else 400
        return _page(request, report, posted=request.POST, errors=errors, status=status)
    messages.success(request, _("The indicator values were saved."))
    return redirect("reports:indicators", slug=report.partnership.slug, pk=report.pk)


urlpatterns = [
    path("<int:pk>/indicators/", indicators, name="indicators"),
    path("<int:pk>/indicators/save/", indicators_save, name="indicators_save"),
]
