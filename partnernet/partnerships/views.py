"""The officer's publication screen: the lifecycle and field privacy of one partnership.
Thin: permission, fetch, form, one service call."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partnernet.accounts.permissions import Perm, requires

from . import services
from .forms import PublicationForm
from .models import PRIVATISABLE_FIELDS, PRIVATISABLE_LABELS, Partnership, Publication
from .selectors import partnership_for_user

DONE = {
    "publish": lambda: _("The partnership is published."),
    "withdraw": lambda: _("The partnership is withdrawn from the public site."),
    "return_to_draft": lambda: _("The partnership is a draft again."),
    "hide": lambda: _("The field is kept private."),
    "show": lambda: _("The field is public again."),
}


@requires(Perm.PUBLICATION_MANAGE)
@require_http_methods(["GET", "POST"])
def publication(request, slug: str):
    partnership = partnership_for_user(user=request.user, slug=slug)
    errors: list[str] = []
    if request.method == "POST":
        form = PublicationForm(request.POST)
        if form.is_valid():
            try:
                _perform(partnership, form.cleaned_data, actor=request.user)
            except services.PublicationRefused as refusal:
                errors.append(refusal.message)
            else:
                messages.success(request, DONE[form.cleaned_data["operation"]]())
                return redirect("partnerships:publication", slug=partnership.slug)
        elif "operation" in form.errors:
            errors.append(_("Choose what to do."))
        else:
            errors += [str(message) for messages_ in form.errors.values() for message in messages_]
        partnership = partnership_for_user(user=request.user, slug=slug)
    return render(request, "partnerships/publication.html", _context(partnership, errors=errors))


def _perform(partnership: Partnership, data: dict, *, actor) -> None:
    operation, reason = data["operation"], data.get("reason", "")
    if operation == "publish":
        services.partnership_publish(partnership=partnership, actor=actor)
    elif operation == "withdraw":
        services.partnership_withdraw(partnership=partnership, actor=actor, reason=reason)
    elif operation == "return_to_draft":
        services.partnership_return_to_draft(partnership=partnership, actor=actor)
    elif operation == "hide":
        services.partnership_field_hide(
            partnership=partnership, field=data["field"], reason=reason, actor=actor
        )
    else:
        services.partnership_field_show(partnership=partnership, field=data["field"], actor=actor)


def _context(partnership: Partnership, *, errors: list[str]) -> dict:
    private = set(partnership.private_fields or ())
    reasons = partnership.private_reasons or {}
    fields = [
        {
            "name": name,
            "label": PRIVATISABLE_LABELS[name],
            "private": name in private,
            "reason": reasons.get(name, ""),
        }
        for name in PRIVATISABLE_FIELDS
    ]
    allowed = services.allowed_actions(partnership)
    return {
        "partnership": partnership,
        "state_label": Publication(partnership.publication).label,
        "is_published": partnership.is_published,
        "can_publish": "publish" in allowed,
        "can_withdraw": "withdraw" in allowed,
        "can_return_to_draft": "return_to_draft" in allowed,
        "publish_blocked": partnership.publication != Publication.PUBLISHED
        and "publish" not in allowed,
        "fields": fields,
        "errors": errors,
    }
