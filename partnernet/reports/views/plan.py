"""Thin views of a partnership's results plan (`results:`): the plan page (approved plan, the
open draft or proposal with what it changes, every version), one version, editing a draft,
and the proposal's steps.

Reading is declared `authenticated` and its fetch answers the rest: the team on both sides,
programme and finance officers see the plan (`REPORT_VIEW`), everyone else gets 404. Each step
`requires` its permission (403 for whoever holds it nowhere, whatever the address): the team
edits (`REPORT_WRITE`), the coordinators propose and take back (`REPORT_SUBMIT`), the officer
accepts or declines (`REPORT_REVIEW`); then the fetch gives 404 to a holder of another
partnership and 403 to one who sees this plan but may not do the step here. A
refused form re-renders with what was typed (400; 409 for a stale version).
"""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnernet.accounts.permissions import (
    AccessRefused,
    Perm,
    authenticated,
    may,
    partnership_target,
    requires,
)
from partnernet.grants.models import Component

from .. import plan_forms as forms
from .. import plan_selectors as selectors
from ..models import PlanIndicator, PlanState, ResultLevel, ResultsPlan
from ..selectors import reports_partnership_for_user
from ..services import plans as services
from ..services.plans import StalePlan


def _add_errors(form: django_forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _status(error: ValidationError) -> int:
    return 409 if isinstance(error, StalePlan) else 400


def _base(request, partnership, plan: ResultsPlan | None = None) -> dict[str, Any]:
    target = partnership_target(partnership)
    return {
        "partnership": partnership,
        "plan": plan,
        "may_write": may(request.user, Perm.REPORT_WRITE, target),
        "may_submit": may(request.user, Perm.REPORT_SUBMIT, target),
        "may_review": may(request.user, Perm.REPORT_REVIEW, target),
        "levels": ResultLevel,
        "states": PlanState,
    }


def _back(plan: ResultsPlan):
    return redirect("results:plan", slug=plan.partnership.slug)


def _to_edit(plan: ResultsPlan):
    return redirect("results:edit", slug=plan.partnership.slug, pk=plan.pk)


# The plan page ----------------------------------------------------------------------------------
def _plan_page(request, partnership, *, forms_: dict | None = None, status: int = 200):
    if not selectors.plan_history(partnership).exists():
        services.results_plan_ensure(partnership=partnership)
    approved = selectors.approved_plan(partnership)
    open_plan = selectors.open_plan(partnership)
    context = _base(request, partnership, approved)
    approved_tree = selectors.flatten(selectors.plan_tree(approved)) if approved else []
    open_tree = selectors.flatten(selectors.plan_tree(open_plan)) if open_plan else []
    context |= {
        "approved": approved,
        "approved_tree": approved_tree,
        "open_plan": open_plan,
        "open_tree": open_tree,
        "changes": (
            selectors.plan_changes(open_plan, approved, new=open_tree, old=approved_tree)
            if open_plan
            else []
        ),
        "history": list(selectors.plan_history(partnership)),
        "components": Component.choices,
    }
    if open_plan is not None:
        context["propose_form"] = (forms_ or {}).get("propose") or forms.ProposeForm(
            initial={"version": open_plan.version, "change_note": open_plan.change_note}
        )
        context["decision_form"] = (forms_ or {}).get("decision") or forms.DecisionForm()
    context["error"] = (forms_ or {}).get("error")
    return render(request, "reports/plan.html", context, status=status)


@authenticated
@require_GET
def plan(request, slug: str) -> HttpResponse:
    partnership = reports_partnership_for_user(user=request.user, slug=slug)
    return _plan_page(request, partnership)


@authenticated
@require_GET
def version(request, slug: str, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(user=request.user, slug=slug, pk=pk)
    context = _base(request, plan.partnership, plan)
    context["tree"] = selectors.flatten(selectors.plan_tree(plan))
    replaced = plan.replaces
    context["changes"] = selectors.plan_changes(plan, replaced) if replaced else []
    return render(request, "reports/plan_version.html", context)


def _draft_for_phase(request, slug: str, make, done: str) -> HttpResponse:
    """A new draft for the phase the form names (`make`: a service taking the partnership,
    the component and the actor); an unknown phase or a refusal stays on the plan page."""
    partnership = reports_partnership_for_user(user=request.user, slug=slug, perm=Perm.REPORT_WRITE)
    component = request.POST.get("component", "")
    try:
        if component not in Component.values:
            raise ValidationError(_("Choose the phase the plan is for."))
        draft = make(partnership=partnership, component=component, actor=request.user)
    except ValidationError as error:
        return _plan_page(request, partnership, forms_={"error": error.messages}, status=400)
    messages.success(request, done)
    return _to_edit(draft)


@requires(Perm.REPORT_WRITE)
@require_POST
def start(request, slug: str) -> HttpResponse:
    return _draft_for_phase(
        request,
        slug,
        services.results_plan_start,
        _("A draft plan was started. Write its objective first."),
    )


@requires(Perm.REPORT_WRITE)
@require_POST
def carry(request, slug: str) -> HttpResponse:
    return _draft_for_phase(
        request,
        slug,
        services.results_plan_carry,
        _("The plan was copied into a draft for the next phase."),
    )


@requires(Perm.REPORT_WRITE)
@require_POST
def revise(request, slug: str, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_WRITE)
    try:
        draft = services.results_plan_revise(plan=plan, actor=request.user)
    except ValidationError as error:
        return _plan_page(request, plan.partnership, forms_={"error": error.messages}, status=400)
    messages.success(request, _("A draft revision of the plan was started."))
    return _to_edit(draft)


# Editing a draft --------------------------------------------------------------------------------
def _edit_page(request, plan: ResultsPlan, *, form=None, status: int = 200, stale=False):
    context = _base(request, plan.partnership, plan)
    context["tree"] = selectors.flatten(selectors.plan_tree(plan))
    context["form"] = form or forms.StatementForm(
        plan=plan, initial={"version": plan.version, "language": request.LANGUAGE_CODE}
    )
    context["stale"] = stale
    return render(request, "reports/plan_edit.html", context, status=status)


def _not_draft(request, plan: ResultsPlan):
    messages.info(
        request,
        _("This version of the plan is “%(state)s”: only a draft can be changed.")
        % {"state": plan.get_state_display()},
    )
    return _back(plan)


def _fresh(request, slug: str, pk: int) -> ResultsPlan:
    return selectors.plan_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_WRITE)


def _rebased(data, fresh: ResultsPlan):
    """The posted data, on the version saved now: saving again is a knowing overwrite."""
    copy = data.copy()
    copy["version"] = str(fresh.version)
    return copy


@requires(Perm.REPORT_WRITE)
@require_GET
def edit(request, slug: str, pk: int) -> HttpResponse:
    plan = _fresh(request, slug, pk)
    if plan.state != PlanState.DRAFT:
        return _not_draft(request, plan)
    return _edit_page(request, plan)


@requires(Perm.REPORT_WRITE)
@require_POST
def statement_add(request, slug: str, pk: int) -> HttpResponse:
    plan = _fresh(request, slug, pk)
    form = forms.StatementForm(request.POST, plan=plan)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_statement_add(
                actor=request.user,
                plan=plan,
                version=data["version"],
                level=data["level"],
                text=data["text"],
                parent_id=data.get("parent"),
                language=data["language"],
            )
        except ValidationError as error:
            if isinstance(error, StalePlan):
                plan = _fresh(request, slug, pk)
                form = forms.StatementForm(_rebased(request.POST, plan), plan=plan)
                form.is_valid()
            _add_errors(form, error)
            return _edit_page(request, plan, form=form, status=_status(error))
        messages.success(request, _("The statement was added."))
        return _to_edit(plan)
    return _edit_page(request, plan, form=form, status=400)


def _one_form_page(request, plan, template: str, status: int = 200, **context):
    return render(
        request, template, _base(request, plan.partnership, plan) | context, status=status
    )


@requires(Perm.REPORT_WRITE)
@require_http_methods(["GET", "POST"])
def statement_edit(request, slug: str, pk: int, statement_pk: int) -> HttpResponse:
    plan = _fresh(request, slug, pk)
    statement = plan.statements.filter(pk=statement_pk).first()
    if statement is None:
        raise AccessRefused(hidden=True, perm=Perm.REPORT_VIEW)
    if plan.state != PlanState.DRAFT:
        return _not_draft(request, plan)
    initial = {"version": plan.version, "text": statement.text}
    form = forms.StatementTextForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.plan_statement_update(
                    actor=request.user,
                    plan=plan,
                    statement_pk=statement.pk,
                    version=form.cleaned_data["version"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                if isinstance(error, StalePlan):
                    plan = _fresh(request, slug, pk)
                    form = forms.StatementTextForm(_rebased(request.POST, plan))
                    form.is_valid()
                _add_errors(form, error)
                status = _status(error)
            else:
                messages.success(request, _("The statement was saved."))
                return _to_edit(plan)
    template = "reports/plan_statement_form.html"
    return _one_form_page(request, plan, template, status, form=form, statement=statement)


@requires(Perm.REPORT_WRITE)
@require_POST
def statement_remove(request, slug: str, pk: int, statement_pk: int) -> HttpResponse:
    plan = _fresh(request, slug, pk)
    if not plan.statements.filter(pk=statement_pk).exists():
        raise AccessRefused(hidden=True, perm=Perm.REPORT_VIEW)
    try:
        services.plan_statement_remove(
            actor=request.user,
            plan=plan,
            statement_pk=statement_pk,
            version=_version(request),
        )
    except ValidationError as error:
        if plan.state != PlanState.DRAFT:
            return _not_draft(request, plan)
        form = forms.StatementForm(plan=plan, initial={"version": plan.version})
        _add_errors(form, error)
        return _edit_page(request, plan, form=form, status=_status(error))
    messages.success(request, _("The statement was removed, with what belonged to it."))
    return _to_edit(plan)


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _indicator_page(request, plan, *, form, statement=None, indicator=None, status=200):
    template = "reports/plan_indicator_form.html"
    return _one_form_page(
        request, plan, template, status, form=form, statement=statement, indicator=indicator
    )


def _save_indicator(request, slug, pk, plan, form, save, *, statement=None, indicator=None):
    if not form.is_valid():
        return _indicator_page(
            request, plan, form=form, statement=statement, indicator=indicator, status=400
        )
    try:
        save(plan, form.cleaned_data["version"], form.facts())
    except ValidationError as error:
        if isinstance(error, StalePlan):
            plan = _fresh(request, slug, pk)
            form = forms.IndicatorForm(_rebased(request.POST, plan), indicator=indicator)
            form.is_valid()
        _add_errors(form, error)
        return _indicator_page(
            request,
            plan,
            form=form,
            statement=statement,
            indicator=indicator,
            status=_status(error),
        )
    messages.success(request, _("The indicator was saved."))
    return _to_edit(plan)


@requires(Perm.REPORT_WRITE)
@require_http_methods(["GET", "POST"])
def indicator_add(request, slug: str, pk: int, statement_pk: int) -> HttpResponse:
    plan = _fresh(request, slug, pk)
    statement = plan.statements.filter(pk=statement_pk).first()
    if statement is None:
        raise AccessRefused(hidden=True, perm=Perm.REPORT_VIEW)
    if plan.state != PlanState.DRAFT:
        return _not_draft(request, plan)
    if request.method == "GET":
        form = forms.IndicatorForm(initial={"version": plan.version})
        return _indicator_page(request, plan, form=form, statement=statement)

    def save(row, version, facts):
        services.plan_indicator_add(
            actor=request.user, plan=row, statement_pk=statement.pk, version=version, facts=facts
        )

    form = forms.IndicatorForm(request.POST)
    return _save_indicator(request, slug, pk, plan, form, save, statement=statement)


@requires(Perm.REPORT_WRITE)
@require_http_methods(["GET", "POST"])
def indicator_edit(request, slug: str, pk: int, indicator_pk: int) -> HttpResponse:
    plan = _fresh(request, slug, pk)
    indicator = (
        PlanIndicator.objects.filter(pk=indicator_pk, statement__plan=plan)
        .select_related("statement")
        .prefetch_related("targets")
        .first()
    )
    if indicator is None:
        raise AccessRefused(hidden=True, perm=Perm.REPORT_VIEW)
    if plan.state != PlanState.DRAFT:
        return _not_draft(request, plan)
    if request.method == "GET":
        form = forms.IndicatorForm(indicator=indicator)
        form.initial["version"] = plan.version
        return _indicator_page(
            request, plan, form=form, statement=indicator.statement, indicator=indicator
        )

    def save(row, version, facts):
        services.plan_indicator_update(
            actor=request.user, plan=row, indicator_pk=indicator.pk, version=version, facts=facts
        )

    form = forms.IndicatorForm(request.POST, indicator=indicator)
    return _save_indicator(
        request, slug, pk, plan, form, save, statement=indicator.statement, indicator=indicator
    )


@requires(Perm.REPORT_WRITE)
@require_POST
def indicator_remove(request, slug: str, pk: int, indicator_pk: int) -> HttpResponse:
    plan = _fresh(request, slug, pk)
    if not PlanIndicator.objects.filter(pk=indicator_pk, statement__plan=plan).exists():
        raise AccessRefused(hidden=True, perm=Perm.REPORT_VIEW)
    try:
        services.plan_indicator_remove(
            actor=request.user, plan=plan, indicator_pk=indicator_pk, version=_version(request)
        )
    except ValidationError as error:
        if plan.state != PlanState.DRAFT:
            return _not_draft(request, plan)
        form = forms.StatementForm(plan=plan, initial={"version": plan.version})
        _add_errors(form, error)
        return _edit_page(request, plan, form=form, status=_status(error))
    messages.success(request, _("The indicator was removed."))
    return _to_edit(plan)


# Proposal and decision --------------------------------------------------------------------------
@requires(Perm.REPORT_SUBMIT)
@require_POST
def propose(request, slug: str, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_SUBMIT)
    form = forms.ProposeForm(request.POST)
    if form.is_valid():
        try:
            services.results_plan_propose(
                actor=request.user,
                plan=plan,
                version=form.cleaned_data["version"],
                change_note=form.cleaned_data["change_note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
            status = _status(error)
        else:
            messages.success(request, _("The plan was proposed to the programme officer."))
            return _back(plan)
    else:
        status = 400
    return _plan_page(request, plan.partnership, forms_={"propose": form}, status=status)


@requires(Perm.REPORT_SUBMIT)
@require_POST
def reopen(request, slug: str, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_SUBMIT)
    try:
        services.results_plan_reopen(actor=request.user, plan=plan)
    except ValidationError as error:
        return _plan_page(request, plan.partnership, forms_={"error": error.messages}, status=400)
    messages.success(request, _("The proposal was taken back: the draft can be changed again."))
    return _to_edit(plan)


def _decide(request, slug: str, pk: int, step: str) -> HttpResponse:
    plan = selectors.plan_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_REVIEW)
    form = forms.DecisionForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if step == "accept":
            services.results_plan_accept(actor=request.user, plan=plan, note=note)
        else:
            services.results_plan_decline(actor=request.user, plan=plan, note=note)
    except ValidationError as error:
        if getattr(error, "code", "") == "decided" and plan.state == PlanState.APPROVED:
            messages.info(request, _("This version was accepted already."))
            return _back(plan)
        _add_errors(form, error)
        return _plan_page(request, plan.partnership, forms_={"decision": form}, status=400)
    if step == "accept":
        messages.success(request, _("The plan was accepted: it is the approved plan now."))
    else:
        messages.success(request, _("The plan was declined; the team has been told why."))
    return _back(plan)


@requires(Perm.REPORT_REVIEW)
@require_POST
def accept(request, slug: str, pk: int) -> HttpResponse:
    return _decide(request, slug, pk, "accept")


@requires(Perm.REPORT_REVIEW)
@require_POST
def decline(request, slug: str, pk: int) -> HttpResponse:
    return _decide(request, slug, pk, "decline")


urlpatterns = [
    path("", plan, name="plan"),
    path("start/", start, name="start"),
    path("carry/", carry, name="carry"),
    path("<int:pk>/", version, name="version"),
    path("<int:pk>/revise/", revise, name="revise"),
    path("<int:pk>/edit/", edit, name="edit"),
    path("<int:pk>/statements/add/", statement_add, name="statement_add"),
    path("<int:pk>/statements/<int:statement_pk>/", statement_edit, name="statement_edit"),
    path(
        "<int:pk>/statements/<int:statement_pk>/remove/",
        statement_remove,
        name="statement_remove",
    ),
    path(
        "<int:pk>/statements/<int:statement_pk>/indicators/add/",
        indicator_add,
        name="indicator_add",
    ),
    path("<int:pk>/indicators/<int:indicator_pk>/", indicator_edit, name="indicator_edit"),
    path(
        "<int:pk>/indicators/<int:indicator_pk>/remove/",
        indicator_remove,
        name="indicator_remove",
    ),
    path("<int:pk>/propose/", propose, name="propose"),
    path("<int:pk>/reopen/", reopen, name="reopen"),
    path("<int:pk>/accept/", accept, name="accept"),
    path("<int:pk>/decline/", decline, name="decline"),
]
