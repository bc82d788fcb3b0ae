"""A report's life after writing: submitted by a coordinator of either side, approved or
returned (with comments per part) by a programme officer, corrected and submitted again.

Each step locks the report, runs the guarded transition (`audit.services.transition_audited`)
and tells people after the commit, in their own language, with a link to the report:
submitted → the programme officers; returned or approved → both sides' coordinators;
approved → also the finance officers, who reimburse it. Two officers deciding at once give
one decision; a submit racing a return gives one outcome (the later one finds the new state
and is refused with the reason).

What must be complete before a report is submitted is a list of checks (`SUBMIT_CHECKS`),
each returning its problems in words; the narrative's is registered here, the indicator
values' and the expenditures' by their own modules (`register_submit_check`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partnernet.accounts.models import Role, User
from partnernet.accounts.notify import Message, notify
from partnernet.audit.services import transition_audited
from partnernet.lib import languages
from partnernet.partnerships.models import PairSide
from partnernet.partnerships.selectors import coordinators_of

from ..models import Report, ReportState, ReviewComment, ReviewPart
from .finances import expenditure_problems
from .indicators import indicator_values_problems
from .writing import narrative_problems

SubmitCheck = Callable[[Report], list[str]]
SUBMIT_CHECKS: list[SubmitCheck] = []


def register_submit_check(check: SubmitCheck) -> SubmitCheck:
    """Add `check` (a report → its problems in words) to what submitting requires; once."""
    if check not in SUBMIT_CHECKS:
        SUBMIT_CHECKS.append(check)
    return check


# The narrative written, a value (or the reason for none) per indicator, a receipt per large cost.
for _check in (narrative_problems, indicator_values_problems, expenditure_problems):
    register_submit_check(_check)


def submit_problems(report: Report) -> list[str]:
    """Every reason the report cannot be submitted yet, from every registered check."""
    return [str(problem) for check in SUBMIT_CHECKS for problem in check(report)]


def _locked(report_id: int) -> Report:
    return Report.objects.select_for_update().select_related("partnership").get(pk=report_id)


def report_submit(*, report_id: int, actor: User) -> Report:
    """Submit the report (a draft, or a returned one corrected): refused, with every problem
    listed, while anything is missing; refused when it is already submitted or approved."""
    with transaction.atomic():
        report = _locked(report_id)
        if not report.is_writable:
            raise ValidationError(
                _("This report is %(state)s: it cannot be submitted again.")
                % {"state": report.get_state_display()}
            )
        problems = submit_problems(report)
        if problems:
            raise ValidationError(problems)
        again = report.state == ReportState.RETURNED
        report.submitted_by = actor
        transition_audited(
            obj=report,
            action="submit",
            field="state",
            actor=actor,
            update_fields=["state", "submitted_at", "submitted_by"],
        )
        notify(
            _users_with_role(Role.PROGRAMME_OFFICER),
            Message(
                subject=gettext_noop("A report is waiting for your review"),
                body=gettext_noop(
                    "%(partnership)s has submitted its report “%(report)s” again, corrected. "
                    "Review it: %(link)s"
                )
                if again
                else gettext_noop(
                    "%(partnership)s has submitted its report “%(report)s”. Review it: %(link)s"
                ),
                params=_params(report),
                link=_link(report),
            ),
        )
    return report


def report_review(
    *,
    report_id: int,
    actor: User,
    approve: bool,
    comments: Mapping[str, str],
    language: str = languages.DEFAULT,
) -> Report:
    """The officer's decision on a submitted report: approve it, or return it for changes with
    at least one comment. Each non-empty comment (per `ReviewPart`) is kept with the decision,
    in the officer's `language`. Refused (nothing written) for a report not waiting for review
    (a draft, one another officer decided meanwhile) and for a return without a comment."""
    texts = {
        part: (text or "").strip()
        for part, text in comments.items()
        if part in ReviewPart.values and (text or "").strip()
    }
    with transaction.atomic():
        report = _locked(report_id)
        if report.state != ReportState.SUBMITTED:
            raise ValidationError(
                _(
                    "This report is %(state)s, not waiting for review: only a submitted report "
                    "is approved or returned."
                )
                % {"state": report.get_state_display()}
            )
        if not approve and not texts:
            raise ValidationError(
                _("Say what must change: a report is returned with at least one comment.")
            )
        report.decided_by = actor
        transition_audited(
            obj=report,
            action="approve" if approve else "return_for_changes",
            field="state",
            actor=actor,
            update_fields=["state", "decided_at", "decided_by"],
        )
        ReviewComment.objects.bulk_create(
            [
                ReviewComment(
                    report=report,
                    part=part,
                    text=text,
                    language=language if language in languages.LANGUAGES else languages.DEFAULT,
                    decision=report.state,
                    author=actor,
                )
                for part, text in texts.items()
            ]
        )
        team = [
            *coordinators_of(report.partnership, PairSide.SWEDISH),
            *coordinators_of(report.partnership, PairSide.PARTNER),
        ]
        params = _params(report) | {"comments": len(texts)}
        if approve:
            notify(
                team,
                Message(
                    subject=gettext_noop("Your report has been approved"),
                    body=gettext_noop(
                        "The programme officer has approved the report “%(report)s” of "
                        "%(partnership)s. The report: %(link)s"
                    ),
                    params=params,
                    link=_link(report),
                ),
            )
            notify(
                _users_with_role(Role.FINANCE_OFFICER),
                Message(
                    subject=gettext_noop("An approved report is waiting for its reimbursement"),
                    body=gettext_noop(
                        "The report “%(report)s” of %(partnership)s has been approved and can "
                        "be reimbursed: %(link)s"
                    ),
                    params=params,
                    link=_link(report),
                ),
            )
        else:
            notify(
                team,
                Message(
                    subject=gettext_noop("Your report has been returned for changes"),
                    body=gettext_noop(
                        "The programme officer has returned the report “%(report)s” of "
                        "%(partnership)s with comments (%(comments)s). Correct it and submit "
                        "it again: %(link)s"
                    ),
                    params=params,
                    link=_link(report),
                ),
            )
    return report


def _users_with_role(role: str) -> list[User]:
    return list(User.objects.filter(roles__role=role, is_active=True).distinct().order_by("pk"))


def _params(report: Report) -> dict:
    # (rendered in each reader's language: the partnership's title, the report's kind)
    return {"partnership": report.partnership, "report": _report_name(report)}


def _report_name(report: Report) -> Callable[[str], str]:
    """The report's name in a reader's language (its kind is translated)."""

    def name(language: str) -> str:
        with translation.override(language):
            return str(report)

    return name


def _link(report: Report) -> str:
    return reverse("reports:detail", kwargs={"slug": report.partnership.slug, "pk": report.pk})
