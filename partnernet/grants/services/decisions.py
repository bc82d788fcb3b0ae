"""Writes of the decision: granting (under a lock on the call, so concurrent decisions never
over-commit its budget) and rejecting, each with its reasons, by someone who did not review."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.accounts.models import User
from partnernet.partnerships.models import FundingTransaction

from .. import rules
from ..models import Application, Call
from ..selectors import call_committed, ceiling_for
from .agreements import agreement_generate, partnership_for_grant
from .workflow import application_locked, queue_move, transition_apply, transition_check


def _check_decider(application: Application, actor: User, reasons: str) -> None:
    """A decision states its reasons and is not taken by one of the application's reviewers."""
    if not reasons.strip():
        raise ValidationError(_("A decision must state its reasons."))
    if application.reviews.filter(reviewer=actor).exists():
        raise ValidationError(_("You reviewed this application, so someone else must decide it."))


def application_grant(
    *, application_id: int, actor: User, amount: Decimal | None, reasons: str
) -> Application:
    """Grant `amount` with reasons. The call's row is locked first, so concurrent decisions
    are serialised and the call's total budget is never over-committed. The grant is announced,
    gets its agreement and moves both municipalities along the queue."""
    with transaction.atomic():
        call_id = Application.objects.values_list("call_id", flat=True).get(pk=application_id)
        call = Call.objects.select_for_update().get(pk=call_id)
        application = application_locked(application_id)
        _check_decider(application, actor, reasons)
        transition_check(application, "grant")
        if application.area_id is None and application.partnership_id is None:
            raise ValidationError(_("Choose the cooperation area."))
        _check_amount(application, call, amount)
        application.granted_amount, application.decided_by = amount, actor
        application.decision_reasons = reasons.strip()
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
        agreement_generate(application=application)
        queue_move(application=application, stage="granted", actor=actor)
    return application


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


def application_reject(*, application_id: int, actor: User, reasons: str) -> Application:
    with transaction.atomic():
        application = application_locked(application_id)
        _check_decider(application, actor, reasons)
        transition_check(application, "reject")
        application.decided_by, application.decision_reasons = actor, reasons.strip()
        transition_apply(
            application=application,
            action="reject",
            actor=actor,
            reason=application.decision_reasons,
        )
    return application
