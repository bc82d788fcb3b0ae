"""What the funder paid for an approved report: one reimbursement per report, recorded by a
finance officer.

The amount is above zero and at most the report's approved actual costs (the sum in SEK of its
expenditures as approved: a report is approved only after its finances are final, so what it
reports is the most that can be reimbursed). Two officers recording at the same moment: the
report row is locked (`select_for_update`) so the second waits and then finds the first one's
reimbursement; the one-to-one constraint is the last guard, and its refusal becomes the same
clear message, never a server error.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import get_language, gettext_noop, override
from django.utils.translation import gettext as _

from partnernet.accounts.models import User
from partnernet.audit.services import audit_record
from partnernet.lib.money import format_money
from partnernet.notifications.rendering import Message
from partnernet.notifications.services import notify
from partnernet.partnerships.selectors import coordinators_of

from ..models import Reimbursement, Report, ReportState


def approved_actual(report: Report) -> Decimal:
    """The report's actual costs in SEK (what may at most be reimbursed)."""
    total = report.expenditures.aggregate(s=Sum("amount_sek"))["s"]
    return total or Decimal(0)


def _already() -> ValidationError:
    return ValidationError(
        _("This report's reimbursement has already been recorded; it is paid once."),
        code="already",
    )


def reimbursement_record(
    *, report: Report, amount: Decimal, paid_on: date, reference: str, actor: User
) -> Reimbursement:
    reference = (reference or "").strip()
    problems = []
    if amount is None or amount <= 0:
        problems.append(_("The amount must be more than zero."))
    if not reference:
        problems.append(_("Give the payment's reference."))
    elif len(reference) > 100:
        problems.append(_("The reference is longer than 100 characters."))
    if problems:
        raise ValidationError(problems, code="invalid")
    try:
        with transaction.atomic():
            locked = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
            if locked.state != ReportState.APPROVED:
                raise ValidationError(
                    _("Only an approved report is reimbursed; this one is %(state)s.")
                    % {"state": locked.get_state_display()},
                    code="not_approved",
                )
            if Reimbursement.objects.filter(report=locked).exists():
                raise _already()
            if locked.decided_by_id is not None and locked.decided_by_id == actor.pk:
                # Four eyes: who approved a report does not also pay it out.
                raise ValidationError(
                    _("You approved this report: another officer records its reimbursement."),
                    code="four_eyes",
                )
            most = approved_actual(locked)
            if amount > most:
                raise ValidationError(
                    _("The amount is more than the report's approved actual costs (%(most)s).")
                    % {"most": format_money(most, "SEK", get_language() or "sv")},
                    code="too_much",
                )
            with transaction.atomic():
                reimbursement = Reimbursement.objects.create(
                    report=locked,
                    amount=amount,
                    paid_on=paid_on,
                    reference=reference,
                    recorded_by=actor,
                )
            audit_record(
                actor=actor,
                action="reimburse",
                obj=locked,
                after={"amount": str(amount), "paid_on": str(paid_on), "reference": reference},
            )
            _tell(locked, reimbursement)
    except IntegrityError as error:
        raise _already() from error
    return reimbursement


def _tell(report: Report, reimbursement: Reimbursement) -> None:
    partnership = report.partnership
    people = [*coordinators_of(partnership, "swedish"), *coordinators_of(partnership, "partner")]
    with override("sv"):
        link = reverse("reports:finances", kwargs={"slug": partnership.slug, "pk": report.pk})
    notify(
        people,
        Message(
            subject=gettext_noop("A report has been reimbursed"),
            body=gettext_noop(
                "The funder has paid %(amount)s for %(report)s of %(partnership)s (paid on "
                "%(date)s, reference %(reference)s)."
            ),
            params={
                "amount": f"{reimbursement.amount} SEK",
                "report": str(report),
                "partnership": partnership.title,
                "date": str(reimbursement.paid_on),
                "reference": reimbursement.reference,
            },
            link=link,
        ),
    )
