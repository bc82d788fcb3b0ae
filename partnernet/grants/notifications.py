"""E-mail announcing each transition of an application, sent after the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partnernet.accounts.models import Role, User

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


def recipients(application: Application, actor=None) -> list[User]:
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


def announce(*, application_id: int, action: str, actor_id: int | None, reason: str = "") -> None:
    """Send one message per recipient, each in their preferred language."""
    application = Application.objects.select_related("swedish_partner", "partner").get(
        pk=application_id
    )
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    for user in recipients(application, actor):
        with translation.override(user.preferred_language or "sv"):
            subject = _("Partnernet: %(application)s – %(state)s") % {
                "application": application,
                "state": State(application.state).label,
            }
            body = "\n\n".join(filter(None, [_(ACTION_TEXT.get(action, action)), reason]))
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
