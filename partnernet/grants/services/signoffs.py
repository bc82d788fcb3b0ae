"""Both partners sign an application off before it is submitted (issue 12.6).

A sign-off is one side's consent to the present content (`partnerships.consent`, on the
application's `SIGNOFF` fields): a coordinator signs off for their own side once nothing keeps
the application from being submitted, and may withdraw it while the application can still be
edited. Any change of the content afterwards (`signoffs_clear`, called by every writing service)
clears both sign-offs, records who changed what and when, and tells the coordinators who had
signed off.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partnernet.accounts.models import User
from partnernet.accounts.notify import Message, notify
from partnernet.audit.services import audit_record
from partnernet.partnerships.consent import consent_clear, consent_record, consent_withdraw

from ..models import Application
from ..selectors import application_problems, coordinator_side
from .workflow import application_editable


def _own_side(actor: User, application: Application) -> list[str]:
    side = coordinator_side(actor, application)
    return [side] if side else []


def application_sign_off(*, application_id: int, actor: User) -> Application:
    """The actor's side signs the present content off."""
    with transaction.atomic():
        application = application_editable(application_id)
        sides = _own_side(actor, application)
        if not sides:
            raise ValidationError(_("Only a coordinator of one of the partners can sign off."))
        problems = application_problems(application)
        if problems:
            raise ValidationError(
                [_("The application is not complete yet, so it cannot be signed off:"), *problems]
            )
        consent_record(
            application,
            Application.SIGNOFF,
            side=sides[0],
            may_answer_for=sides,
            by=actor,
            at=timezone.now(),
        )
        application.save()
        audit_record(actor=actor, action="sign_off", obj=application, after={"side": sides[0]})
    return application


def application_sign_off_withdraw(*, application_id: int, actor: User) -> Application:
    """The actor's side takes its sign-off back (while the application can be edited)."""
    with transaction.atomic():
        application = application_editable(application_id)
        sides = _own_side(actor, application)
        if not sides:
            raise ValidationError(_("Only a coordinator of one of the partners can sign off."))
        consent_withdraw(application, Application.SIGNOFF, side=sides[0], may_answer_for=sides)
        application.save()
        audit_record(
            actor=actor, action="withdraw_sign_off", obj=application, before={"side": sides[0]}
        )
    return application


def signoffs_clear(*, application: Application, actor: User, what: str) -> list[str]:
    """After a change of the content (inside the writing service's transaction, on the locked
    row): forget both sign-offs, say who changed `what` (a short key) and when, and tell the
    people whose sign-off was cleared after the commit. Returns the sides that were cleared."""
    signed = [
        by
        for by in (application.swedish_signed_off_by, application.partner_signed_off_by)
        if by is not None
    ]
    cleared = consent_clear(application, Application.SIGNOFF)
    if not cleared:
        return []
    application.signoffs_cleared_at, application.signoffs_cleared_by = timezone.now(), actor
    application.save()
    audit_record(
        actor=actor,
        action="clear_sign_offs",
        obj=application,
        before={"signed_off": cleared},
        after={"changed": what},
    )
    notify(
        [person for person in signed if person.pk != actor.pk],
        Message(
            subject=gettext_noop("Partnernet: %(application)s – sign off again"),
            body=gettext_noop(
                "The application was changed after you signed it off, so both partners' "
                "sign-offs were cleared. Read the changes and sign off again: %(link)s"
            ),
            params={"application": application},
            link=reverse("grants:application", kwargs={"pk": application.pk}),
        ),
    )
    return cleared
