"""E-mail announcing each transition of an application, sent after the transaction commits
(`accounts.notify`)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from partnernet.accounts.models import Role, User
from partnernet.accounts.notify import Message, notify
from partnernet.lib.systemtext import render

from .models import Application, State

ACTION_TEXT = {
    "submit": gettext_noop("The application was submitted."),
    "screen": gettext_noop("The application is being screened."),
    "start_review": gettext_noop("The application is being reviewed."),
    "request_information": gettext_noop("More information was requested."),
    "resubmit": gettext_noop("The application was resubmitted."),
    "grant": gettext_noop("The application was granted."),
    "reject": gettext_noop("The application was rejected."),
    "sign_agreement": gettext_noop("The agreement was accepted by both partners."),
    "activate": gettext_noop("The partnership is now active."),
    "close": gettext_noop("The grant was closed."),
}


def recipients(application: Application, actor: User | None = None) -> list[User]:
    """Both sides' coordinators, the funder's programme officers and whoever acted."""
    municipalities = [application.swedish_partner_id, application.partner_id]
    users = User.objects.filter(is_active=True).filter(
        Q(
            roles__role=Role.MUNICIPAL_COORDINATOR,
            roles__organisation__municipality_id__in=municipalities,
        )
        | Q(roles__role=Role.PROGRAMME_OFFICER, roles__organisation__kind="funder")
    )
    found = {user.pk: user for user in users.distinct()}
    if actor is not None and getattr(actor, "is_authenticated", False) and actor.email:
        found.setdefault(actor.pk, actor)
    return list(found.values())


def announce(
    *, application: Application, action: str, actor: User | None = None, reason: str = ""
) -> None:
    """Tell the recipients after the commit, one message each in their preferred language.
    Called inside the transaction: the state is the one this step reached."""
    notify(
        recipients(application, actor),
        Message(
            subject=gettext_noop("Partnernet: %(application)s – %(state)s"),
            # The reason is the officer's own text: a parameter, never a message id.
            body=(ACTION_TEXT.get(action, action), "%(reason)s" if reason else ""),
            params={
                "application": application,
                "state": _state(application),
                # A system text (the demo history) in each reader's language; a person's as written.
                "reason": lambda language: render(reason, language),
            },
            link=reverse("grants:application", kwargs={"pk": application.pk}),
        ),
    )


def _state(application: Application):
    return State(application.state).label  # lazy: translated for each reader
