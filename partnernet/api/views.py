"""The personal API token page: create (shown once), list and revoke your tokens."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partnernet.accounts.permissions import authenticated

from . import selectors, services
from .forms import TokenCreateForm


@authenticated
@require_http_methods(["GET", "POST"])
def token_list(request):
    form, created = TokenCreateForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        token, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        created, form = {"token": token, "raw": raw}, TokenCreateForm()
    context = {
        "form": form,
        "created": created,
        "tokens": selectors.api_token_list(user=request.user),
    }
    response = render(request, "api/tokens.html", context)
    response["Cache-Control"] = "no-store"  # the new token must not stay in any cache
    return response


@authenticated
@require_POST
def token_revoke(request, pk: int):
    token = selectors.api_token_for_user(user=request.user, pk=pk)
    services.api_token_revoke(user=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens")
