"""Writes of the decision: granting (under a lock on the call, so concurrent decisions never
over-commit its budget) and rejecting, each with its reasons, by someone who did not review;
the exceptions a grant above the requested amount or with too few reviews needs (asked for by
one programme officer, approved by a second, who then may not take the decision); and the
decision letter to each partner."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partnernet.accounts.models import Role, User
from partnernet.accounts.notify import Message, notify
from partnernet.audit.services import audit_record
from partnernet.lib.languages import LANGUAGES
from partnernet.lib.money import format_money
from partnernet.partnerships.models import FundingTransaction

from .. import rules
from ..models import Application, Call, DecisionException
from ..selectors import call_committed, ceiling_for, exception_needs
from .agreements import agreement_generate, partnership_for_grant
from .letters import decision_letters_write
from .workflow import application_locked, queue_move, transition_apply, transition_check


def _reasons_language(language: str | None) -> str:
    """The language the officer wrote the reasons in (the page's language unless told)."""
    if language in LANGUAGES:
        return str(language)
    active = (translation.get_language() or "sv")[:2]
    return active if active in LANGUAGES else "sv"


def _check_decider(application: Application, actor: User, reasons: str) -> None:
    """A decision states its reasons and is not taken by one of the application's reviewers."""
    if not reasons.strip():
        raise ValidationError(_("A decision must state its reasons."))
    if application.reviews.filter(reviewer=actor).exists():
        raise ValidationError(_("You reviewed this application, so someone else must decide it."))


def application_grant(
    *,
    application_id: int,
    actor: User,
    amount: Decimal | None,
    reasons: str,
    reasons_language: str | None = None,
) -> Application:
    """Grant `amount` with reasons. The call's row is locked first, so concurrent decisions
    are serialised and the call's total budget is never over-committed. An amount above what
    was requested, or fewer completed reviews than the call asks for, needs an exception that a
    second programme officer approved for this amount (`decision_exception_*`). The grant is
    announced, gets its agreement and a letter to each partner, and moves both municipalities
    along the queue."""
    with transaction.atomic():
        call_id = Application.objects.values_list("call_id", flat=True).get(pk=application_id)
        call = Call.objects.select_for_update().get(pk=call_id)
        application = application_locked(application_id)
        _check_decider(application, actor, reasons)
        transition_check(application, "grant")
        if application.area_id is None and application.partnership_id is None:
            raise ValidationError(_("Choose the cooperation area."))
        _check_amount(application, call, amount)
        assert amount is not None  # _check_amount refused a missing one
        exception = _exception_for_grant(application, actor, amount)
        application.granted_amount, application.decided_by = amount, actor
        application.decision_reasons = reasons.strip()
        application.decision_reasons_language = _reasons_language(reasons_language)
        transition_apply(
            application=application,
            action="grant",
            actor=actor,
            reason=application.decision_reasons,
        )
        partnership = partnership_for_grant(application=application, amount=amount, actor=actor)
        if amount:
            FundingTransaction.objects.create(
                partnership=partnership,
                kind=FundingTransaction.Kind.COMMITMENT,
                date=timezone.localdate(),
                amount=amount,
                reference=f"grant-{application.pk}",
                description=str(call),
            )
        if exception is not None:
            exception.use()
            exception.save()
            audit_record(
                actor=actor,
                action="use_exception",
                obj=application,
                after={"exception": exception.pk, "amount": str(amount)},
            )
        agreement_generate(application=application)
        decision_letters_write(application=application)
        queue_move(application=application, stage="granted", actor=actor)
    return application


def _exception_for_grant(
    application: Application, actor: User, amount: Decimal
) -> DecisionException | None:
    """The approved exception this grant needs (None when it needs none); refused without one."""
    needs = exception_needs(application, amount)
    if not needs.any:
        return None
    approved = application.decision_exceptions.select_for_update().filter(
        status=DecisionException.Status.APPROVED, amount=amount
    )
    if needs.above_requested:
        approved = approved.filter(above_requested=True)
    if needs.too_few_reviews:
        approved = approved.filter(too_few_reviews=True)
    exception = approved.order_by("-answered_at", "-id").first()
    if exception is not None and exception.answered_by_id == actor.pk:
        raise ValidationError(
            _("You approved the exception, so another programme officer must take the decision."),
            code="approver_decides",
        )
    if exception is None:
        messages = [
            *needs.messages(),
            _(
                "Such a grant needs an exception approved by a second programme officer: "
                "ask for one, with your reason, under “Exception”."
            ),
        ]
        raise ValidationError(
            [ValidationError(message, code="exception_needed") for message in messages]
        )
    return exception


def _check_amount(application: Application, call: Call, amount: Decimal | None) -> None:
    if amount is None or amount <= 0:
        raise ValidationError(_("Enter the amount granted."))
    ceiling = ceiling_for(call)
    years = max(application.budget_lines.values_list("year", flat=True), default=1)
    if ceiling and amount > ceiling.amount * (years if ceiling.per_year else 1):
        raise ValidationError(_("The amount is above the ceiling for this component."))
    committed = call_committed(call)
    if not rules.commitment_fits(budget=call.budget, committed=committed, amount=amount):
        left = (call.budget or Decimal(0)) - committed
        raise ValidationError(
            _("The call's budget cannot cover this grant: SEK %(left)s is left.")
            % {"left": f"{max(left, 0):,.0f}".replace(",", " ")},
            code="over_budget",
        )


def application_reject(
    *, application_id: int, actor: User, reasons: str, reasons_language: str | None = None
) -> Application:
    with transaction.atomic():
        application = application_locked(application_id)
        _check_decider(application, actor, reasons)
        transition_check(application, "reject")
        application.decided_by, application.decision_reasons = actor, reasons.strip()
        application.decision_reasons_language = _reasons_language(reasons_language)
        transition_apply(
            application=application,
            action="reject",
            actor=actor,
            reason=application.decision_reasons,
        )
        decision_letters_write(application=application)
    return application


# Exceptions to the decision rules: asked for by one officer, answered by a second ------------
def decision_exception_request(
    *, application_id: int, actor: User, amount: Decimal | None, reason: str
) -> DecisionException:
    """Ask a second programme officer to allow a grant of `amount` that breaks a rule (above
    the requested amount, too few completed reviews), for `reason`."""
    if amount is None or amount <= 0:
        raise ValidationError(_("Enter the amount granted."))
    if not reason.strip():
        raise ValidationError(_("Say why the exception is needed."))
    with transaction.atomic():
        application = application_locked(application_id)
        transition_check(application, "grant")
        needs = exception_needs(application, amount)
        if not needs.any:
            raise ValidationError(
                _("A grant of this amount breaks no rule, so it needs no exception."),
                code="not_needed",
            )
        exception = DecisionException.objects.create(
            application=application,
            amount=amount,
            above_requested=needs.above_requested,
            too_few_reviews=needs.too_few_reviews,
            reason=reason.strip(),
            requested_by=actor,
        )
        audit_record(
            actor=actor,
            action="request_exception",
            obj=application,
            reason=exception.reason,
            after={
                "exception": exception.pk,
                "amount": str(amount),
                "above_requested": needs.above_requested,
                "too_few_reviews": needs.too_few_reviews,
            },
        )
        notify(
            _other_officers(actor),
            Message(
                subject=gettext_noop("Partnernet: %(application)s – an exception to approve"),
                body=gettext_noop(
                    "A programme officer asks for an exception to the decision rules for a "
                    "grant of SEK %(amount)s. A second officer must approve or decline it: "
                    "%(link)s"
                ),
                params={"application": application, "amount": format_money(amount, "")},
                link=reverse("grants:application", kwargs={"pk": application.pk}),
            ),
        )
    return exception


def _other_officers(actor: User) -> list[User]:
    officers = User.objects.filter(
        Q(roles__role=Role.PROGRAMME_OFFICER, roles__organisation__kind="funder"), is_active=True
    ).exclude(pk=actor.pk)
    return list(officers.distinct())


def decision_exception_answer(
    *, exception_id: int, actor: User, approve: bool, note: str = ""
) -> DecisionException:
    """A second programme officer approves or declines (with a note) an exception. The officer
    who asked for it cannot answer it, and nobody answers it once the application can no longer
    be granted (decided, or sent back for more information)."""
    with transaction.atomic():
        application_id = DecisionException.objects.values_list("application_id", flat=True).get(
            pk=exception_id
        )
        transition_check(application_locked(application_id), "grant")
        exception = DecisionException.objects.select_for_update().get(pk=exception_id)
        if exception.requested_by_id == actor.pk:
            raise ValidationError(
                _("You asked for this exception; a second programme officer must answer it."),
                code="self_approval",
            )
        if exception.status != DecisionException.Status.REQUESTED:
            raise ValidationError(_("This exception has already been answered."), code="answered")
        if not approve and not note.strip():
            raise ValidationError(_("Say why the exception is declined."))
        if approve:
            exception.approve()
        else:
            exception.decline()
        exception.answered_by, exception.answer_note = actor, note.strip()
        exception.save()
        audit_record(
            actor=actor,
            action="approve_exception" if approve else "decline_exception",
            obj=exception.application,
            reason=exception.answer_note,
            after={"exception": exception.pk, "amount": str(exception.amount)},
        )
        notify(
            [exception.requested_by],
            Message(
                subject=gettext_noop("Partnernet: %(application)s – %(answer)s"),
                body=gettext_noop(
                    "Your request for an exception for a grant of SEK %(amount)s was answered "
                    "by a second programme officer: %(answer)s. %(link)s"
                ),
                params={
                    "application": exception.application,
                    "amount": format_money(exception.amount, ""),
                    "answer": DecisionException.Status(exception.status).label,
                },
                link=reverse("grants:application", kwargs={"pk": exception.application_id}),
            ),
        )
    return exception
