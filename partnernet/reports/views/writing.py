"""One report's page: its narrative co-written by both sides (autosaved, as an application's
texts), the officer's review comments beside each section, and the report's actions (submit,
approve or return). Thin views: fetch through `report_for_user`, parse, one service, render.

A person whose role never does the step gets 403; one who does it elsewhere but may not see
this report gets 404 (as if nothing existed); the team's members who see it but may not do
the step get 403; a step the report's state refuses (writing a submitted
report, approving a draft, two officers deciding at once) is answered 409 with the reason and
the page; an incomplete submission 400 with every problem listed."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partnernet.accounts.permissions import Perm, may, partnership_target, requires
from partnernet.audit.selectors import audit_history
from partnernet.grants.forms import sections_initial, sections_rebased

from ..models import Report, ReportState, ReviewPart
from ..selectors import report_for_user
from ..services.submission import report_review, report_submit
from ..services.writing import report_draft_save, report_sections_ensure
from ..writing_forms import ReportDraftForm, ReviewForm

ACTION_LABELS = {
    "save_narrative": gettext_lazy("narrative saved"),
    "narrative_conflict": gettext_lazy("a co-writer was asked to merge"),
    "submit": gettext_lazy("submitted"),
    "return_for_changes": gettext_lazy("returned for changes"),
    "approve": gettext_lazy("approved"),
}


def _context(request, report: Report, **overrides) -> dict:
    user = request.user
    target = partnership_target(report.partnership)
    sections = report_sections_ensure(report)
    writable = report.is_writable
    writer = writable and may(user, Perm.REPORT_WRITE, target)
    comments = list(report.review_comments.select_related("author"))
    # The last decision's comments, beside the parts they are about.
    latest = [c for c in comments if report.decided_at and c.created_at >= report.decided_at]
    by_part: dict[str, list] = defaultdict(list)
    for comment in latest:
        by_part[comment.part].append(comment)
    history = [
        {"at": entry.created_at, "by": entry.actor_label, "what": ACTION_LABELS[entry.action]}
        for entry in audit_history(obj=report).order_by("-created_at")[:50]
        if entry.action in ACTION_LABELS
    ]
    context = {
        "report": report,
        "partnership": report.partnership,
        "sections": sections,
        "writer": writer,
        "submitter": writable and may(user, Perm.REPORT_SUBMIT, target),
        "reviewer": report.state == ReportState.SUBMITTED and may(user, Perm.REPORT_REVIEW, target),
        "notes": dict(by_part),
        "other_notes": [
            (label, by_part[part])
            for part, label in ReviewPart.choices
            if part not in {s.key for s in sections} and by_part.get(part)
        ],
        "earlier_comments": [c for c in comments if c not in latest],
        "history": history,
    }
    if writer:
        context["draft_form"] = ReportDraftForm(initial=sections_initial(sections))
    if context["reviewer"]:
        context["review_form"] = ReviewForm()
    return context | overrides


def _page(request, report: Report, status: int = 200, **overrides) -> HttpResponse:
    context = _context(request, report, **overrides)
    return render(request, "reports/report_detail.html", context, status=status)


def _back(report: Report, anchor: str = "") -> HttpResponse:
    url = reverse("reports:detail", kwargs={"slug": report.partnership.slug, "pk": report.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


@requires(Perm.REPORT_VIEW)
@require_GET
def report_detail(request, slug: str, pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk)
    return _page(request, report)


@requires(Perm.REPORT_WRITE)
@require_POST
def report_save(request, slug: str, pk: int) -> HttpResponse:
    """Saves what the writer changed of the narrative (the application's autosave: JSON for
    the page's script, with 409 and both texts on a conflict; the page or a redirect for a
    plain form post)."""
    report = report_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_WRITE)
    form = ReportDraftForm(request.POST)
    fetch = request.headers.get("X-Requested-With") == "fetch"
    if not form.is_valid():
        if fetch:
            return JsonResponse({"saved": False, "errors": form.errors}, status=400)
        return _page(request, report, status=400, draft_form=form)
    try:
        result = report_draft_save(report_id=report.pk, actor=request.user, sections=form.edits())
    except ValidationError as error:
        text = " ".join(error.messages)
        if fetch:
            return JsonResponse(
                {"saved": False, "message": text, "errors": {"__all__": error.messages}},
                status=409,
            )
        return _page(request, report, status=409, refusal=text)
    for conflict in result.conflicts:
        conflict["items"] = form.conflict_items(conflict)
    body: dict[str, Any] = {"sections": result.sections, "fields": {}}
    if result.conflicts:
        message = _(
            "Someone else changed %(parts)s while you were writing. Nothing is lost: your text "
            "stays in the field and theirs is shown next to it. Merge the two, then save again."
        ) % {"parts": ", ".join(f"“{c['label']}”" for c in result.conflicts)}
        if not fetch:
            rebased = sections_rebased(request.POST.copy(), result.sections, result.conflicts)
            return _page(
                request,
                report,
                status=409,
                draft_form=ReportDraftForm(rebased),
                conflicts={c["key"]: c for c in result.conflicts},
                conflict_message=message,
            )
        body |= {"saved": False, "message": message, "conflicts": result.conflicts}
        return JsonResponse(body, status=409)
    if not fetch:
        messages.success(request, _("The narrative is saved."))
        return _back(report, "narrative")
    return JsonResponse(body | {"saved": True, "message": _("Saved.")})


@requires(Perm.REPORT_SUBMIT)
@require_POST
def report_submit_view(request, slug: str, pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_SUBMIT)
    try:
        report_submit(report_id=report.pk, actor=request.user)
    except ValidationError as error:
        report.refresh_from_db()
        if report.is_writable:  # incomplete: every problem listed
            return _page(request, report, status=400, submit_errors=error.messages)
        return _page(request, report, status=409, refusal=" ".join(error.messages))
    messages.success(request, _("The report is submitted. The programme officer is told."))
    return _back(report)


@requires(Perm.REPORT_REVIEW)
@require_POST
def report_review_view(request, slug: str, pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_REVIEW)
    form = ReviewForm(request.POST)
    if report.state != ReportState.SUBMITTED:
        return _page(
            request,
            report,
            status=409,
            refusal=_(
                "This report is %(state)s, not waiting for review: only a submitted report "
                "is approved or returned."
            )
            % {"state": report.get_state_display()},
        )
    if not form.is_valid():
        return _page(request, report, status=400, review_form=form)
    approve = form.cleaned_data["decision"] == ReviewForm.APPROVE
    try:
        report_review(
            report_id=report.pk,
            actor=request.user,
            approve=approve,
            comments=form.comments(),
            language=get_language() or "sv",
        )
    except ValidationError as error:
        report.refresh_from_db()
        return _page(request, report, status=409, refusal=" ".join(error.messages))
    if approve:
        messages.success(request, _("The report is approved. The team and finance are told."))
    else:
        messages.success(request, _("The report is returned to the team with your comments."))
    return _back(report)


urlpatterns = [
    path("<int:pk>/", report_detail, name="detail"),
    path("<int:pk>/save/", report_save, name="save"),
    path("<int:pk>/submit/", report_submit_view, name="submit"),
    path("<int:pk>/review/", report_review_view, name="review"),
]
