"""The demo's history: a grant decided before Partnernet existed, recorded as it happened.

It is written by its own service so that the real decision (`decisions.application_grant`)
knows nothing of it: a historical grant may have no amount (the funder's announcement gives
none), it is not announced by e-mail, it gets no new agreement and does not move the queue.
Its steps are audited like any other, submitted by nobody (the system) and moved along by the
officer who recorded it.
"""

from django.db import transaction

from partnernet.accounts.models import User
from partnernet.audit.services import audit_record
from partnernet.partnerships.models import Partnership

from ..models import Application, ApplicationSection, Call
from .agreements import partnership_for_grant
from .workflow import application_locked, transition_check, transition_record

HISTORY_STEPS = ("submit", "screen", "start_review")


def application_history_write(
    *, call: Call, partnership: Partnership, officer: User, steps_reason: str, reasons: str
) -> Application:
    """The partnership's granted application to `call`, with its summary and its history:
    submitted, screened, reviewed and granted without an amount by `officer`, for `reasons`.
    The pair's existing application to the call is returned unchanged."""
    pair = {
        "call": call,
        "swedish_partner": partnership.swedish_partner,
        "partner": partnership.partner,
    }
    with transaction.atomic():
        existing = Application.objects.filter(**pair).first()
        if existing:
            return existing
        application = Application.objects.create(
            **pair,
            area=partnership.area,
            title=getattr(partnership, "title_sv", "") or partnership.title,
            partnership=Partnership.objects.filter(
                swedish_partner=partnership.swedish_partner,
                partner=partnership.partner,
                network=call.network_id,
            ).first(),
            created_by=None,
        )
        for key in ApplicationSection.Key.values:
            ApplicationSection.objects.create(application=application, key=key)
        audit_record(actor=None, action="create", obj=application)
        summary = application.sections.get(key=ApplicationSection.Key.SUMMARY)
        for language in ("sv", "en", "uk"):
            setattr(summary, f"text_{language}", getattr(partnership, f"summary_{language}") or "")
        summary.translated_at = dict(partnership.translated_at)
        summary.save()
        for action in HISTORY_STEPS:
            actor = officer if action != "submit" else None
            transition_record(
                application=application, action=action, actor=actor, reason=steps_reason
            )
        application = application_locked(application.pk)
        transition_check(application, "grant")
        application.granted_amount, application.decided_by = None, officer
        application.decision_reasons = reasons.strip()
        transition_record(
            application=application,
            action="grant",
            actor=officer,
            reason=application.decision_reasons,
        )
        partnership_for_grant(application=application, amount=None, actor=officer)
    return application
