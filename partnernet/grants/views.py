"""Thin views: declare the permission, fetch through `application_for_user`/`call_for_user`,
parse the form, call one service, render or redirect.

A form with errors re-renders the application page with what was typed (status 400), so bad
input loses nothing; a refused service call (late, over budget, ineligible) shows its reason.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnernet.accounts.permissions import AccessRefused, Perm, holds, requires
from partnernet.audit.selectors import audit_history
from partnernet.municipalities import partners
from partnernet.partnerships.consent import read_consent

from . import forms, selectors, services
from .export import score_workbook
from .models import Component, State


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


@requires(Perm.APPLICATION_VIEW)
@require_GET
def index(request):
    ids = selectors.coordinator_municipality_ids(request.user)
    municipalities = selectors.municipalities_by_ids(ids)
    calls = selectors.calls_open_for_application()
    manages_calls = holds(request.user, Perm.CALL_MANAGE)
    context = {
        "applications": selectors.application_list_for_user(user=request.user)[:200],
        "is_officer": manages_calls,
        "calls": selectors.call_list() if manages_calls else calls,
        "start_form": forms.StartForm(calls=calls, municipalities=municipalities) if ids else None,
    }
    return render(request, "grants/index.html", context)


@requires(Perm.CALL_MANAGE)
@require_http_methods(["GET", "POST"])
def call_create(request):
    form = forms.CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        call = services.call_create(
            actor=request.user,
            **arguments["facts"],
            source_language=arguments["source_language"],
            texts=arguments["texts"],
        )
        messages.success(
            request, _("The call was saved as a draft: the public sees it once you open it.")
        )
        return redirect("grants:call", pk=call.pk)
    return render(
        request, "grants/call_form.html", {"form": form}, status=400 if form.errors else 200
    )


@requires(Perm.CALL_MANAGE)
@require_http_methods(["GET", "POST"])
def call_edit(request, pk: int):
    call = selectors.call_for_user(user=request.user, pk=pk)
    form = forms.CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update(actor=request.user, call=call, **form.service_arguments())
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("The call was saved."))
            return redirect("grants:call", pk=call.pk)
    return render(
        request,
        "grants/call_form.html",
        {"form": form, "call": call},
        status=400 if form.errors else 200,
    )


@requires(Perm.CALL_MANAGE)
@require_POST
def call_step(request, pk: int, step: str):
    """Open or close a call (a guarded transition); a refused step says why."""
    call = selectors.call_for_user(user=request.user, pk=pk)
    steps = {"open": services.call_open, "close": services.call_close}
    if step not in steps:
        raise Http404
    try:
        steps[step](actor=request.user, call=call)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        done = {"open": _("The call is open to the public."), "close": _("The call is closed.")}
        messages.success(request, done[step])
    return redirect("grants:call", pk=call.pk)


@requires(Perm.CALL_MANAGE)
@require_GET
def call_detail(request, pk: int):
    call = selectors.call_for_user(user=request.user, pk=pk)
    rows = selectors.call_score_table(call=call)
    context = {
        "call": call,
        "rows": rows,
        "rubric": forms.RUBRIC,
        "committed": selectors.call_committed(call),
        "ceiling": selectors.ceiling_for(call),
    }
    return render(request, "grants/call_detail.html", context)


@requires(Perm.CALL_MANAGE)
@require_GET
def call_export(request, pk: int):
    call = selectors.call_for_user(user=request.user, pk=pk)
    response = HttpResponse(
        score_workbook(selectors.call_score_table(call=call)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="call-{call.pk}-scores.xlsx"'
    return response


@requires(Perm.APPLICATION_WRITE)
@require_POST
def application_start(request):
    ids = selectors.coordinator_municipality_ids(request.user)
    form = forms.StartForm(
        request.POST,
        calls=selectors.calls_open_for_application(),
        municipalities=selectors.municipalities_by_ids(ids),
    )
    if not form.is_valid():
        return render(
            request,
            "grants/index.html",
            {
                "start_form": form,
                "applications": [],
                "calls": selectors.calls_open_for_application(),
            },
            status=400,
        )
    own = selectors.municipalities_by_ids([int(form.cleaned_data["own"])]).get()
    other = form.cleaned_data["partner_code"]
    swedish, partner = partners.orient(own, other)
    if not partners.is_pair(swedish, partner):
        form.add_error("partner_code", _("One partner must be Swedish and the other not."))
        return render(
            request,
            "grants/index.html",
            {
                "start_form": form,
                "applications": [],
                "calls": selectors.calls_open_for_application(),
            },
            status=400,
        )
    application = services.application_start(
        call=form.cleaned_data["call"],
        swedish_partner=swedish,
        partner=partner,
        area=form.cleaned_data["area"],
        title=form.cleaned_data["title"],
        actor=request.user,
    )
    return redirect("grants:application", pk=application.pk)


def _detail_context(request, application, **overrides) -> dict:
    user = request.user
    side = selectors.coordinator_side(user, application)
    writer = side is not None and application.is_editable
    context = {
        "application": application,
        "side": side,
        "writer": writer,
        "is_officer": holds(user, Perm.APPLICATION_DECIDE),
        "is_inception": application.call.component == Component.INCEPTION,
        "problems": selectors.application_problems(application) if writer else [],
        "ceiling": selectors.ceiling_for(application.call),
        "own_review": selectors.review_for_reviewer(user=user, application=application),
        "reviews": selectors.reviews_visible_to(user=user, application=application),
        "rubric": forms.RUBRIC,
        "history": audit_history(obj=application)[:50],
        "agreement": getattr(application, "agreement", None)
        if application.state != State.DRAFT
        else None,
        "signoff": read_consent(application, application.SIGNOFF),
        "signoff_problems": selectors.signoff_problems(application) if writer else [],
        # Who changed which part, and when: for the partners' team and officers only.
        "changes": selectors.application_changes(application)
        if side or holds(user, Perm.APPLICATION_DECIDE)
        else {},
        "letters": list(application.decision_letters.all())
        if holds(user, Perm.DECISION_DOCUMENTS_VIEW)
        else [],
        "may_see_documents": side is not None or holds(user, Perm.APPLICATION_DECIDE),
    }
    if writer:
        context |= {
            "draft_form": forms.DraftForm(initial=forms.draft_initial(application)),
            "letter_form": forms.LetterForm(),
            "team_form": forms.TeamMemberForm(prefix="team"),
            "budget_form": forms.BudgetLineForm(prefix="budget"),
            "result_form": forms.ResultForm(prefix="result"),
            "indicator_form": forms.IndicatorForm(application=application, prefix="indicator"),
        }
    if context["is_officer"]:
        exceptions = selectors.decision_exceptions(application)
        context |= {
            "move_form": forms.MoveForm(prefix="move"),
            "assign_form": forms.AssignReviewerForm(),
            "decision_form": forms.DecisionForm(prefix="decision"),
            "exceptions": exceptions,
            "exception_form": forms.ExceptionRequestForm(prefix="exception"),
            "answer_forms": {
                e.pk: forms.ExceptionAnswerForm(prefix=f"answer-{e.pk}") for e in exceptions
            }
            | overrides.pop("answer_forms", {}),
            "completed_reviews": selectors.completed_reviews(application),
        }
    if side and application.state == State.GRANTED:
        context["accept_form"] = forms.AcceptForm()
    return context | overrides


def _detail(request, application, status=200, **overrides):
    context = _detail_context(request, application, **overrides)
    return render(request, "grants/application_detail.html", context, status=status)


@requires(Perm.APPLICATION_VIEW)
@require_GET
def application_detail(request, pk: int):
    application = selectors.application_for_user(user=request.user, pk=pk)
    return _detail(request, application)


@requires(Perm.APPLICATION_WRITE)
@require_POST
def application_autosave(request, pk: int):
    """Saves what the writer changed. The page's script gets JSON: 200 with every section's new
    version (and the newer text of sections someone else changed), or 409 with both texts of
    every section changed by someone else meanwhile, for the writer to merge. A plain form post
    gets the page back (409: with the merge panel) or a redirect."""
    application = selectors.application_for_user(
        user=request.user, pk=pk, perm=Perm.APPLICATION_WRITE, page=False
    )
    form = forms.DraftForm(request.POST)
    fetch = request.headers.get("X-Requested-With") == "fetch"
    if not form.is_valid():
        if not fetch:
            return _detail(request, application, status=400, draft_form=form)
        return JsonResponse({"saved": False, "errors": form.errors}, status=400)
    try:
        result = services.application_draft_save(
            application_id=application.pk,
            actor=request.user,
            sections=form.edits(),
            fields=form.field_edits(),
        )
    except ValidationError as error:
        return JsonResponse({"saved": False, "errors": {"__all__": _errors(error)}}, status=409)
    saved = timezone.localtime(result.application.draft_saved_at)
    for conflict in result.conflicts:
        conflict["items"] = form.conflict_items(conflict)
    if result.conflicts:
        message = _(
            "Someone else changed %(parts)s while you were writing. Nothing is lost: your text "
            "stays in the field and theirs is shown next to it. Merge the two, then save again."
        ) % {"parts": ", ".join(f"“{c['label']}”" for c in result.conflicts)}
        if not fetch:
            return _detail(
                request,
                result.application,
                status=409,
                draft_form=forms.DraftForm(_rebased(request.POST, result)),
                conflicts={c["key"]: c for c in result.conflicts},
                conflict_message=message,
            )
        body = _draft_json(result, saved=False, message=message)
        return JsonResponse(body | {"conflicts": result.conflicts}, status=409)
    cleared = SIGNOFFS_CLEARED if result.signoffs_cleared else ""
    if not fetch:
        messages.success(request, _("Draft saved."))
        if cleared:
            messages.warning(request, cleared)
        return redirect("grants:application", pk=pk)
    message = _("Saved at %(time)s") % {"time": saved.strftime("%H:%M:%S")}
    if cleared:
        message = f"{message}. {cleared}"
    return JsonResponse(
        _draft_json(result, saved=True, message=message)
        | {"saved_at": saved.isoformat(), "signoffs_cleared": bool(cleared)}
    )


SIGNOFFS_CLEARED = gettext_lazy(
    "The application changed after it was signed off, so both partners' sign-offs were "
    "cleared: both sign off again before it is submitted."
)


def _for_writer(request, pk: int):
    return selectors.application_for_user(user=request.user, pk=pk, perm=Perm.APPLICATION_WRITE)


def _draft_json(result, *, saved: bool, message: str) -> dict:
    return {
        "saved": saved,
        "message": message,
        "sections": result.sections,
        "fields": result.fields,
    }


def _rebased(posted, result):
    """The writer's post, re-based on what is stored now (`forms.sections_rebased`), with the
    title and area the same way."""
    data = forms.sections_rebased(posted.copy(), result.sections, result.conflicts)
    for name, item in result.fields.items():
        data[f"{name}_base"] = item["base"]
        if item["outcome"] == "unchanged":
            data[name] = item["value"]
    return data


def _back_to(pk: int, section: str | None):
    """The application page, scrolled to the section the writer was in (without script)."""
    url = reverse("grants:application", kwargs={"pk": pk})
    return redirect(f"{url}#{section}" if section else url)


# The parts of the application page htmx updates in place, each a partial template.
PARTIALS = {
    "team": "grants/application/_team.html",
    "budget": "grants/application/_budget.html",
}


def _partial(request, pk: int, section: str, status: int = 200, notice: str = "", **overrides):
    """One section of the page for htmx, with the sign-off and submit section and the page's
    status line swapped out of band (what changed there is seen at once)."""
    application = _for_writer(request, pk)  # fetched anew: the change is in it
    context = _detail_context(request, application, **overrides)
    context |= {"section_template": PARTIALS[section], "notice": notice, "oob": True}
    return render(request, "grants/application/_htmx_update.html", context, status=status)


def _writer_post(request, pk, form_name, form, call, section: str | None = None, done: str = ""):
    """The pattern of every co-writer's form: valid → service → redirect (to the section);
    else show errors. An htmx request gets the section back, updated in place."""
    application = _for_writer(request, pk)
    partial = bool(request.htmx) and section in PARTIALS
    if form.is_valid():
        try:
            call(application, form.cleaned_data)
            if partial:
                assert section is not None
                return _partial(request, pk, section, notice=done)
            if done:
                messages.success(request, done)
            return _back_to(pk, section)
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
    if partial:
        assert section is not None
        # 422: htmx is told to swap it in (`htmx-config` on the page), the errors at the form
        return _partial(request, pk, section, status=422, **{form_name: form})
    return _detail(request, application, status=400, **{form_name: form})


@requires(Perm.APPLICATION_WRITE)
@require_POST
def letter_upload(request, pk: int):
    form = forms.LetterForm(request.POST, request.FILES)
    return _writer_post(
        request,
        pk,
        "letter_form",
        form,
        lambda app, data: services.application_letter_upload(
            application_id=app.pk, actor=request.user, upload=data["letter"]
        ),
        section="letter",
    )


def _adder(form_class, prefix: str, service, *, section: str, done=""):
    """The view that adds one item (a team member, a budget line, a result) to an application
    from its form on the page: parsed with `form_class`, created by `service`."""

    @requires(Perm.APPLICATION_WRITE)
    @require_POST
    def view(request, pk: int):
        return _writer_post(
            request,
            pk,
            f"{prefix}_form",
            form_class(request.POST, prefix=prefix),
            lambda app, data: service(application_id=app.pk, actor=request.user, **data),
            section=section,
            done=str(done),
        )

    return view


team_add = _adder(
    forms.TeamMemberForm,
    "team",
    services.team_member_add,
    section="team",
    done=gettext_lazy("The team member was added."),
)
budget_add = _adder(
    forms.BudgetLineForm,
    "budget",
    services.budget_line_add,
    section="budget",
    done=gettext_lazy("The budget line was added."),
)
result_add = _adder(forms.ResultForm, "result", services.result_add, section="results")


@requires(Perm.APPLICATION_WRITE)
@require_POST
def indicator_add(request, pk: int):
    application = _for_writer(request, pk)
    form = forms.IndicatorForm(request.POST, application=application, prefix="indicator")
    return _writer_post(
        request,
        pk,
        "indicator_form",
        form,
        lambda app, data: services.indicator_add(
            result_id=data.pop("result").pk, actor=request.user, **data
        ),
        section="results",
    )


@requires(Perm.APPLICATION_WRITE)
@require_POST
def item_remove(request, pk: int, kind: str, item_pk: int):
    """Remove a team member or a budget line. A post without `confirm` (no script) gets a page
    that asks first; the page's script asks in a dialog and posts `confirm`."""
    application = _for_writer(request, pk)
    remove: dict[str, tuple[Any, Callable[..., None], str, str]] = {
        "team": (
            application.team,
            services.team_member_remove,
            "member_id",
            _("The team member was removed."),
        ),
        "budget": (
            application.budget_lines,
            services.budget_line_remove,
            "line_id",
            _("The budget line was removed."),
        ),
    }
    if kind not in remove:
        raise Http404
    related, service, argument, done = remove[kind]
    item = get_object_or_404(related.all(), pk=item_pk)
    form = forms.ConfirmForm(request.POST)
    if not (form.is_valid() and form.cleaned_data["confirm"]):
        context = {"application": application, "item": item, "kind": kind}
        return render(request, "grants/confirm_remove.html", context)
    try:
        service(**{argument: item.pk}, actor=request.user)
    except ValidationError as error:
        if request.htmx:
            return _partial(request, pk, kind, status=422, notice=" ".join(_errors(error)))
        messages.error(request, " ".join(_errors(error)))
        return _back_to(pk, kind)
    if request.htmx:
        return _partial(request, pk, kind, notice=done)
    messages.success(request, done)
    return _back_to(pk, kind)


@requires(Perm.APPLICATION_WRITE)
@require_POST
def application_submit(request, pk: int):
    application = _for_writer(request, pk)
    service = (
        services.application_resubmit
        if application.state == State.MORE_INFORMATION
        else services.application_submit
    )
    try:
        service(application_id=application.pk, actor=request.user)
    except ValidationError as error:
        return _detail(request, application, status=400, submit_errors=_errors(error))
    messages.success(request, _("The application was submitted."))
    return redirect("grants:application", pk=pk)


def _form_post(
    request, application, form, act, *, errors_at: dict, done="", section: str | None = None
):
    """The shape of the officers' and coordinators' forms on the application page: valid → one
    service → back to the page (at `section`, saying `done`); invalid or refused → the page
    again (400) with the errors at the form (`errors_at` names it in the page's context)."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            if done:
                messages.success(request, done)
            return _back_to(application.pk, section)
    return _detail(request, application, status=400, **errors_at)


@requires(Perm.APPLICATION_MANAGE)
@require_POST
def application_move(request, pk: int):
    application = selectors.application_for_user(
        user=request.user, pk=pk, perm=Perm.APPLICATION_MANAGE
    )
    form = forms.MoveForm(request.POST, prefix="move")
    return _form_post(
        request,
        application,
        form,
        lambda data: services.application_move(
            application_id=application.pk, actor=request.user, **data
        ),
        errors_at={"move_form": form},
    )


@requires(Perm.REVIEW_ASSIGN)
@require_POST
def review_assign(request, pk: int):
    application = selectors.application_for_user(user=request.user, pk=pk, perm=Perm.REVIEW_ASSIGN)
    form = forms.AssignReviewerForm(request.POST)
    return _form_post(
        request,
        application,
        form,
        lambda data: services.review_assign(
            application_id=application.pk, actor=request.user, reviewer=data["reviewer"]
        ),
        errors_at={"assign_form": form},
    )


@requires(Perm.APPLICATION_DECIDE)
@require_POST
def application_decide(request, pk: int):
    application = selectors.application_for_user(
        user=request.user, pk=pk, perm=Perm.APPLICATION_DECIDE
    )
    form = forms.DecisionForm(request.POST, prefix="decision")

    def decide(data: dict) -> None:
        reasons = {"reasons": data["reasons"], "reasons_language": data["reasons_language"]}
        if data["decision"] == "grant":
            services.application_grant(
                application_id=application.pk, actor=request.user, amount=data["amount"], **reasons
            )
        else:
            services.application_reject(
                application_id=application.pk, actor=request.user, **reasons
            )

    return _form_post(
        request, application, form, decide, section="assessment", errors_at={"decision_form": form}
    )


@requires(Perm.APPLICATION_REVIEW)
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    application = selectors.application_for_user(
        user=request.user, pk=pk, perm=Perm.APPLICATION_REVIEW
    )
    own = selectors.review_for_reviewer(user=request.user, application=application)
    if own is None:
        raise AccessRefused(hidden=False, perm=Perm.APPLICATION_REVIEW)
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_submit(
                review_id=own.pk,
                actor=request.user,
                scores=form.scores(),
                comments=form.cleaned_data["comments"],
                conflict_of_interest=form.cleaned_data["conflict_of_interest"],
                conflict_explanation=form.cleaned_data["conflict_explanation"],
            )
            messages.success(request, _("Your review was submitted."))
            return redirect("grants:application", pk=pk)
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
    context = {
        "application": application,
        "form": form,
        "own": own,
        "reviews": selectors.reviews_visible_to(user=request.user, application=application),
    }
    return render(request, "grants/review.html", context, status=400 if form.errors else 200)


@requires(Perm.AGREEMENT_ACCEPT)
@require_POST
def agreement_accept(request, pk: int):
    application = selectors.application_for_user(
        user=request.user, pk=pk, perm=Perm.AGREEMENT_ACCEPT
    )
    side = selectors.coordinator_side(request.user, application)
    if side is None:  # accepting is for a coordinator of one of the two sides
        raise AccessRefused(hidden=False, perm=Perm.AGREEMENT_ACCEPT)
    form = forms.AcceptForm(request.POST)
    return _form_post(
        request,
        application,
        form,
        lambda data: services.agreement_accept(
            application_id=application.pk, actor=request.user, side=side
        ),
        done=_("You accepted the agreement."),
        errors_at={"accept_form": form},
    )


# Sign-offs (issue 12.6) --------------------------------------------------------------------------
@requires(Perm.APPLICATION_WRITE)
@require_POST
def sign_off(request, pk: int):
    """The writer's side signs the application off (or, with `withdraw`, takes it back)."""
    application = _for_writer(request, pk)
    form = forms.SignOffForm(request.POST)
    withdraw = form.is_valid() and form.cleaned_data["withdraw"]
    service = services.application_sign_off_withdraw if withdraw else services.application_sign_off
    try:
        service(application_id=application.pk, actor=request.user)
    except ValidationError as error:
        return _detail(request, application, status=400, signoff_errors=_errors(error))
    done = _("Your sign-off was withdrawn.") if withdraw else _("You signed the application off.")
    messages.success(request, done)
    return _back_to(pk, "sign-off")


# Exceptions to the decision rules -------------------------------------------------------------
@requires(Perm.APPLICATION_DECIDE)
@require_POST
def exception_request(request, pk: int):
    application = selectors.application_for_user(
        user=request.user, pk=pk, perm=Perm.APPLICATION_DECIDE
    )
    form = forms.ExceptionRequestForm(request.POST, prefix="exception")
    return _form_post(
        request,
        application,
        form,
        lambda data: services.decision_exception_request(
            application_id=application.pk, actor=request.user, **data
        ),
        done=_("The exception was asked for; a second officer answers."),
        section="assessment",
        errors_at={"exception_form": form},
    )


@requires(Perm.APPLICATION_DECIDE)
@require_POST
def exception_answer(request, pk: int, exception_pk: int):
    exception = selectors.decision_exception_for_user(
        user=request.user, pk=pk, exception_pk=exception_pk
    )
    form = forms.ExceptionAnswerForm(request.POST, prefix=f"answer-{exception.pk}")
    return _form_post(
        request,
        exception.application,
        form,
        lambda data: services.decision_exception_answer(
            exception_id=exception.pk,
            actor=request.user,
            approve=data["answer"] == "approve",
            note=data["note"],
        ),
        done=_("Your answer was recorded."),
        section="assessment",
        errors_at={"answer_forms": {exception.pk: form}},
    )


# Documents: the letter of intent, the decision letters, the agreement -------------------------
@requires(Perm.APPLICATION_VIEW)
@require_GET
def letter_of_intent_file(request, pk: int):
    application = selectors.letter_of_intent_for_user(user=request.user, pk=pk)
    try:
        handle = application.letter_of_intent.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"letter-of-intent-{application.pk}.pdf",
        content_type="application/pdf",
    )


@requires(Perm.DECISION_DOCUMENTS_VIEW)
@require_GET
def decision_letter(request, pk: int, side: str):
    """One partner's decision letter: a printable page in the letter's language."""
    letter = selectors.decision_letter_for_user(user=request.user, pk=pk, side=side)
    return render(request, "grants/documents/decision_letter.html", {"letter": letter})


@requires(Perm.DECISION_DOCUMENTS_VIEW)
@require_GET
def agreement_text(request, pk: int):
    """The agreement's text, printable, in the reader's language."""
    agreement = selectors.agreement_for_user(user=request.user, pk=pk)
    return render(request, "grants/documents/agreement.html", {"agreement": agreement})
