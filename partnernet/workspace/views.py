"""Thin views of a partnership's workspace: fetch through `selectors.*_for_user`, parse the
form, call one service, render or redirect.

Every view is declared `authenticated` and its fetch answers the rest: the team on both sides
and programme officers get in, everyone else gets 404 (the workspace of a partnership that is
not theirs does not exist for them, whatever roles they hold elsewhere: `requires` would have
told a reviewer 403), and a member of the team who may see but not do this gets 403. A form
with errors re-renders with what was typed (400; 409 for a stale version), nothing lost.
"""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnernet.accounts.permissions import Perm, authenticated, may, partnership_target
from partnernet.conversations.selectors import recent_messages
from partnernet.reports.selectors import schedule_of as report_schedule_of

from . import forms, selectors, services
from .models import Activity
from .services import StaleVersion


def _add_errors(form: django_forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _status(error: ValidationError) -> int:
    return 409 if isinstance(error, StaleVersion) else 400


def _base(request, partnership, current: str) -> dict[str, Any]:
    target = partnership_target(partnership)
    return {
        "partnership": partnership,
        "current": current,
        "may_write": may(request.user, Perm.WORKSPACE_WRITE, target),
        "may_manage_team": may(request.user, Perm.TEAM_MANAGE, target),
    }


# The start page ---------------------------------------------------------------------------------
@authenticated
@require_GET
def home(request, slug: str) -> HttpResponse:
    partnership = selectors.partnership_workspace_for_user(user=request.user, slug=slug)
    context = _base(request, partnership, "home")
    context["overview"] = selectors.workspace_overview(partnership)
    context["recent_messages"] = recent_messages(partnership, 5)
    context["reports"] = report_schedule_of(partnership)
    return render(request, "workspace/home.html", context)


# The team ---------------------------------------------------------------------------------------
def _team_page(request, partnership, form=None, status: int = 200) -> HttpResponse:
    context = _base(request, partnership, "team")
    members = list(selectors.team(partnership))
    context["sides"] = selectors.team_by_side(partnership, members)
    sides = selectors.sides_managed_by(request.user, partnership)
    if context["may_manage_team"] and sides:
        context["form"] = form or forms.InviteForm(partnership=partnership, sides=sides)
        context["managed_sides"] = sides
    return render(request, "workspace/team.html", context, status=status)


@authenticated
@require_GET
def team(request, slug: str) -> HttpResponse:
    partnership = selectors.partnership_workspace_for_user(user=request.user, slug=slug)
    return _team_page(request, partnership)


@authenticated
@require_POST
def team_invite(request, slug: str) -> HttpResponse:
    partnership = selectors.partnership_workspace_for_user(
        user=request.user, slug=slug, perm=Perm.TEAM_MANAGE
    )
    sides = selectors.sides_managed_by(request.user, partnership)
    form = forms.InviteForm(request.POST, partnership=partnership, sides=sides)
    if form.is_valid():
        try:
            member = services.team_member_invite(
                actor=request.user, partnership=partnership, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is in the team. They have been told by e-mail.")
                % {"name": member.name},
            )
            return redirect("workspace:team", slug=partnership.slug)
    return _team_page(request, partnership, form=form, status=400)


@authenticated
@require_http_methods(["GET", "POST"])
def team_remove(request, slug: str, pk: int) -> HttpResponse:
    member = selectors.team_member_for_user(user=request.user, slug=slug, pk=pk)
    partnership = member.partnership
    error = None
    if request.method == "POST":
        try:
            services.team_member_remove(actor=request.user, member=member)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("%(name)s has left the team.") % {"name": member.name})
            return redirect("workspace:team", slug=partnership.slug)
    context = _base(request, partnership, "team") | {"member": member, "error": error}
    return render(request, "workspace/team_remove.html", context, status=400 if error else 200)


# The activity plan ------------------------------------------------------------------------------
def _plan_view(template: str):
    """A view of the whole activity plan (the list, the timeline): the same plan, drawn by
    `template`."""

    @authenticated
    @require_GET
    def view(request, slug: str) -> HttpResponse:
        partnership = selectors.partnership_workspace_for_user(user=request.user, slug=slug)
        context = _base(request, partnership, "activities")
        context["plan"] = selectors.activity_plan(partnership)
        return render(request, template, context)

    return view


activities = _plan_view("workspace/activity_list.html")
timeline = _plan_view("workspace/timeline.html")


def _form_page(
    request, partnership, form, activity=None, status: int = 200, extra: dict | None = None
) -> HttpResponse:
    context = _base(request, partnership, "activities") | {"form": form, "activity": activity}
    context |= extra or {}
    return render(request, "workspace/activity_form.html", context, status=status)


@authenticated
@require_http_methods(["GET", "POST"])
def activity_create(request, slug: str) -> HttpResponse:
    partnership = selectors.partnership_workspace_for_user(
        user=request.user, slug=slug, perm=Perm.WORKSPACE_WRITE
    )
    application = selectors.granted_application(partnership)
    form = forms.ActivityForm(
        request.POST or None, partnership=partnership, application=application
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user, partnership=partnership, facts=form.facts()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The activity is in the plan."))
            return redirect("workspace:activity", slug=partnership.slug, pk=activity.pk)
    return _form_page(request, partnership, form, status=400 if form.errors else 200)


@authenticated
@require_http_methods(["GET", "POST"])
def activity_edit(request, slug: str, pk: int) -> HttpResponse:
    activity = selectors.activity_for_user(
        user=request.user, slug=slug, pk=pk, perm=Perm.WORKSPACE_WRITE
    )
    partnership = activity.partnership
    application = selectors.granted_application(partnership)
    form = forms.ActivityForm(
        request.POST or None, partnership=partnership, application=application, activity=activity
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.activity_update(
                    actor=request.user,
                    activity=activity,
                    facts=form.facts(),
                    version=form.cleaned_data.get("version") or 0,
                )
            except StaleVersion as error:
                # Rebased on the version saved now: the person's input stays, the stored
                # activity is shown beside it, and saving again is a knowing overwrite.
                fresh = selectors.activity_for_user(
                    user=request.user, slug=slug, pk=pk, perm=Perm.WORKSPACE_WRITE
                )
                data = request.POST.copy()
                data["version"] = str(fresh.version)
                form = forms.ActivityForm(
                    data, partnership=partnership, application=application, activity=fresh
                )
                form.is_valid()
                form.add_error(None, error)
                context = {"current": fresh}
                return _form_page(request, partnership, form, fresh, status=409, extra=context)
            except ValidationError as error:
                _add_errors(form, error)
                status = _status(error)
            else:
                messages.success(request, _("The activity was saved."))
                return redirect("workspace:activity", slug=partnership.slug, pk=activity.pk)
    return _form_page(request, partnership, form, activity=activity, status=status)


def _step_forms(activity: Activity, bound: dict | None = None) -> dict[str, Any]:
    """The forms of the steps the activity's status allows (one bound, after a refusal)."""
    bound = bound or {}
    initial = {"version": activity.version}
    done_initial = initial | {
        "actual_cost": activity.actual_cost,
        "is_public": activity.is_public,
        "report_language": activity.report_language,
    }
    found: dict[str, Any] = {}
    if activity.may("mark_done", guards=False):
        found["done"] = bound.get("done") or forms.DoneForm(initial=done_initial, prefix="done")
    if activity.may("postpone"):
        found["postpone"] = bound.get("postpone") or forms.PostponeForm(
            initial=initial, prefix="postpone"
        )
    if activity.may("replan"):
        found["replan"] = bound.get("replan") or forms.StepForm(initial=initial, prefix="replan")
    if activity.may("cancel"):
        found["cancel"] = bound.get("cancel") or forms.StepForm(initial=initial, prefix="cancel")
    return found


def _detail_page(
    request, activity: Activity, bound=None, status: int = 200, refusal: str = ""
) -> HttpResponse:
    partnership = activity.partnership
    context = _base(request, partnership, "activities") | {
        "activity": activity,
        "refusal": refusal,
    }
    if context["may_write"]:
        context["steps"] = _step_forms(activity, bound)
    return render(request, "workspace/activity_detail.html", context, status=status)


@authenticated
@require_GET
def activity_detail(request, slug: str, pk: int) -> HttpResponse:
    activity = selectors.activity_for_user(user=request.user, slug=slug, pk=pk)
    return _detail_page(request, activity)


STEP_FORMS = {
    "done": forms.DoneForm,
    "postpone": forms.PostponeForm,
    "replan": forms.StepForm,
    "cancel": forms.StepForm,
}


@authenticated
@require_POST
def activity_step(request, slug: str, pk: int) -> HttpResponse:
    """One status step (`step`: done, postpone, replan, cancel)."""
    activity = selectors.activity_for_user(
        user=request.user, slug=slug, pk=pk, perm=Perm.WORKSPACE_WRITE
    )
    step = request.POST.get("step", "")
    if step not in STEP_FORMS:
        return _detail_page(
            request, activity, status=400, refusal=_("Choose a step for the activity.")
        )
    form = STEP_FORMS[step](request.POST, prefix=step)
    if form.is_valid():
        data = form.cleaned_data
        version = data.get("version")
        try:
            if step == "done":
                services.activity_mark_done(
                    actor=request.user,
                    activity=activity,
                    report=data["report"],
                    report_language=data["report_language"],
                    actual_cost=data.get("actual_cost"),
                    is_public=bool(data.get("is_public")),
                    version=version,
                )
            elif step == "postpone":
                services.activity_postpone(
                    actor=request.user,
                    activity=activity,
                    starts_on=data["starts_on"],
                    ends_on=data.get("ends_on"),
                    version=version,
                )
            elif step == "replan":
                services.activity_replan(actor=request.user, activity=activity, version=version)
            else:
                services.activity_cancel(actor=request.user, activity=activity, version=version)
        except StaleVersion as error:
            fresh = selectors.activity_for_user(
                user=request.user, slug=slug, pk=pk, perm=Perm.WORKSPACE_WRITE
            )
            data = request.POST.copy()
            data[f"{step}-version"] = str(fresh.version)
            form = STEP_FORMS[step](data, prefix=step)
            form.is_valid()
            return _detail_page(
                request, fresh, bound={step: form}, status=409, refusal=" ".join(error.messages)
            )
        except ValidationError as error:
            _add_errors(form, error)
            return _detail_page(
                request,
                activity,
                bound={step: form},
                status=_status(error),
                refusal=" ".join(str(e) for e in form.non_field_errors()),
            )
        messages.success(request, STEP_MESSAGES[step]())
        return redirect("workspace:activity", slug=activity.partnership.slug, pk=activity.pk)
    refusal = "" if step in _step_forms(activity) else _("This step is not possible now.")
    return _detail_page(request, activity, bound={step: form}, status=400, refusal=refusal)


STEP_MESSAGES = {
    "done": lambda: _("The activity is marked done, with its report."),
    "postpone": lambda: _("The activity is postponed to its new dates."),
    "replan": lambda: _("The activity is planned again."),
    "cancel": lambda: _("The activity is cancelled."),
}
assert set(STEP_MESSAGES) == set(STEP_FORMS)
