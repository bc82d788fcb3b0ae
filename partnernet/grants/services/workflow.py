"""The one transition runner every grants service shares.

A step of an application is: lock its row (`application_locked`), check the guarded django-fsm
transition may run (`transition_check`), run it, save it and write its audit entry
(`transition_record`), and announce it by e-mail after the commit (`transition_apply` does both).
`actor` is None only for what the system itself records (the demo's history).
"""

import contextlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import can_proceed

from partnernet.accounts.models import User
from partnernet.audit.services import transition_audited
from partnernet.lib.systemtext import system_text
from partnernet.matchmaking.services import queue_entry_move

from ..models import Application, Component, State
from ..notifications import announce


def application_locked(application_id: int) -> Application:
    """The application's row, locked until the end of the transaction."""
    return Application.objects.select_for_update().select_related("call").get(pk=application_id)


def application_editable(application_id: int) -> Application:
    """The locked application, refused when its writers can no longer change it."""
    application = application_locked(application_id)
    if not application.is_editable:
        raise ValidationError(_("This application can no longer be edited."))
    return application


def transition_check(application: Application, action: str) -> None:
    """Refuse, in words, a step the application's state does not allow."""
    if not can_proceed(getattr(application, action)):
        raise ValidationError(
            _("This step is not possible while the application is %(state)s.")
            % {"state": State(application.state).label}
        )


def transition_record(
    *, application: Application, action: str, actor: User | None, reason: str = ""
) -> None:
    """Run one guarded transition, save it and audit it (no announcement)."""
    transition_audited(obj=application, action=action, field="state", actor=actor, reason=reason)


def transition_apply(
    *, application: Application, action: str, actor: User | None, reason: str = ""
) -> None:
    """Run one guarded transition, save, audit it and announce it after the commit."""
    transition_record(application=application, action=action, actor=actor, reason=reason)
    announce(application=application, action=action, actor=actor, reason=reason)


def queue_move(*, application: Application, stage: str, actor: User | None) -> None:
    """Move both municipalities along the network's queue (inception applications only)."""
    if application.call.component != Component.INCEPTION:
        return
    for municipality in (application.swedish_partner, application.partner):
        # The queue only moves forward: a municipality already further along (granted with
        # another partner) keeps its place, and the application goes on.
        with contextlib.suppress(ValidationError), transaction.atomic():
            queue_entry_move(
                municipality=municipality,
                network=application.call.network,
                stage=stage,
                actor=actor,
                reason=system_text(gettext_noop("Application “%(title)s”"), title=str(application)),
            )
