"""A partnership's report schedule: the list of its reports (`reports:list`), a milestone or
ad-hoc report an officer adds (`reports:create`), a due date an officer moves with a reason
(`reports:due`).

The list is declared `authenticated` and its fetch (`reports.selectors`) answers the rest: the
team on both sides, programme and finance officers see it, everyone else gets 404. Adding a
report and moving a due date are declared `requires(Perm.REPORT_REVIEW)`: only programme
officers, everyone else 403 (whatever the address). A form with
errors re-renders with what was typed (400), nothing lost."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from partnernet.accounts.permissions import Perm, authenticated, may, partnership_target, requires

from ..models import Report, ReportKind
from ..selectors import report_for_user, reports_partnership_for_user, schedule_of
from ..services.schedule import report_create, report_due_change


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ReportCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of report"),
        choices=[
            (ReportKind.MILESTONE.value, ReportKind.MILESTONE.label),
            (ReportKind.ADHOC.value, ReportKind.ADHOC.label),
        ],
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    period_start = forms.DateField(label=gettext_lazy("Period from"), widget=DateInput())
    period_end = forms.DateField(label=gettext_lazy("Period to"), widget=DateInput())
    due_on = forms.DateField(label=gettext_lazy("Due"), widget=DateInput())


class DueChangeForm(forms.Form):
    due_on = forms.DateField(label=gettext_lazy("New due date"), widget=DateInput())
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _base(request, partnership) -> dict[str, Any]:
    target = partnership_target(partnership)
    return {
        "partnership": partnership,
        "may_schedule": may(request.user, Perm.REPORT_REVIEW, target),
        "today": timezone.localdate(),
    }


@authenticated
@require_GET
def report_list(request, slug: str) -> HttpResponse:
    partnership = reports_partnership_for_user(user=request.user, slug=slug)
    context = _base(request, partnership) | {"schedule": schedule_of(partnership)}
    return render(request, "reports/schedule_list.html", context)


@requires(Perm.REPORT_REVIEW)
@require_http_methods(["GET", "POST"])
def report_create_view(request, slug: str) -> HttpResponse:
    partnership = reports_partnership_for_user(
        user=request.user, slug=slug, perm=Perm.REPORT_REVIEW
    )
    form = ReportCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = report_create(
                partnership=partnership,
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                due_on=data["due_on"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The report is in the schedule."))
            return _to_report(partnership.slug, report)
    context = _base(request, partnership) | {"form": form}
    return render(
        request, "reports/schedule_form.html", context, status=400 if form.errors else 200
    )


@requires(Perm.REPORT_REVIEW)
@require_http_methods(["GET", "POST"])
def report_due_view(request, slug: str, pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_REVIEW)
    initial: dict[str, date] = {"due_on": report.due_on}
    form = DueChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_due_change(
                report_id=report.pk,
                actor=request.user,
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The due date is changed; the reminders follow it."))
            return _to_report(slug, report)
    context = _base(request, report.partnership) | {"form": form, "report": report}
    return render(request, "reports/schedule_due.html", context, status=400 if form.errors else 200)


def _to_report(slug: str, report: Report) -> HttpResponse:
    response = redirect("reports:list", slug=slug)
    response["Location"] += f"#report-{report.pk}"
    return response


urlpatterns: list[URLPattern] = [
    path("", report_list, name="list"),
    path("add/", report_create_view, name="create"),
    path("<int:pk>/due/", report_due_view, name="due"),
]
