"""Joining by oneself: the public `/join/` pages and the officer's verification of a request.
Thin: permission, form, one call (the rate limit is counted first), render."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partnernet.accounts.forms import SetPasswordForm
from partnernet.accounts.permissions import Perm, public, requires
from partnernet.lib import languages
from partnernet.lib.addresses import client_address
from partnernet.lib.text import clean_input
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Network

from . import forms, joining, selectors


def _network(slug: str) -> Network:
    try:
        return selectors.network_get(slug=slug[:100])
    except Network.DoesNotExist:
        raise Http404 from None


def _language() -> str:
    language = (translation.get_language() or "")[:2]
    return language if language in languages.LANGUAGES else languages.DEFAULT


def _too_many(request, network: Network, until) -> HttpResponse:
    """429 with a translated page and the seconds until the address may send again."""
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    response = render(
        request,
        "matchmaking/join_limited.html",
        {"network": network, "minutes": max(1, math.ceil(seconds / 60))},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


@public
@require_http_methods(["GET", "POST"])
def join_start(request):
    """Pick the municipality (spelling-tolerant search, links that work without script), then
    tell who you are and what you need or offer."""
    data = request.POST if request.method == "POST" else request.GET
    network = _network(data.get("network") or settings.QUEUE_NETWORK)
    query = clean_input(request.GET.get("q", ""), 100)
    context: dict = {"network": network, "query": query, "sent": "sent" in request.GET}
    status = 200
    if request.method == "POST":
        until = joining.join_attempt_record(
            ip_address=client_address(request), email=request.POST.get("email", "")
        )
        if until is not None:
            return _too_many(request, network, until)
        code = clean_input(request.POST.get("municipality", ""), 32).upper()
        municipality = Municipality.objects.filter(code=code).first() if code else None
        form = forms.JoinForm(request.POST, municipality=municipality)
        if form.is_valid():
            try:
                joining.join_request_start(
                    municipality=form.cleaned_data["municipality"],
                    network=network,
                    email=form.cleaned_data["email"],
                    full_name=form.cleaned_data["full_name"],
                    language=_language(),
                    areas=list(form.cleaned_data["areas"]),
                    text=form.cleaned_data["text"],
                    capacity=form.cleaned_data["capacity"],
                )
                return redirect(f"{reverse('join:start')}?network={network.slug}&sent=1")
            except ValidationError as error:
                form.add_error(None, error)
        status = 400
    else:
        code = clean_input(request.GET.get("municipality", ""), 32).upper()
        municipality = Municipality.objects.filter(code=code).first() if code else None
        if code and municipality is None:
            context["unknown"] = code
            status = 404
        form = forms.JoinForm(
            initial={"municipality": code, "capacity": 1}, municipality=municipality
        )
    if municipality is not None:
        context["refusal"] = selectors.join_refusal(municipality=municipality, network=network)
    context.update(
        municipality=municipality,
        form=form,
        choices=selectors.join_candidates(query=query) if municipality is None else [],
    )
    template = "matchmaking/_join_choices.html" if request.htmx else "matchmaking/join.html"
    return render(request, template, context, status=status)


@public
@require_http_methods(["GET", "POST"])
def join_confirm(request, key: str):
    """The one-time link of the e-mail: a new account chooses its password here. Opening the
    link changes nothing (mail scanners open links); the button does."""
    join_request = selectors.join_request_by_key(key=key)
    if join_request is None:
        return render(request, "matchmaking/join_link_invalid.html", status=404)
    user = join_request.user
    assert user is not None  # join_request_by_key finds only requests with their person
    needs_password = not user.has_usable_password()
    form = SetPasswordForm(request.POST or None, user=user) if needs_password else None
    status = 200
    if request.method == "POST":
        if form is None or form.is_valid():
            try:
                joining.join_request_confirm(
                    join_request=join_request,
                    password=form.cleaned_data["password1"] if form is not None else None,
                )
                return render(
                    request, "matchmaking/join_confirmed.html", {"join_request": join_request}
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        status = 400
    return render(
        request,
        "matchmaking/join_confirm.html",
        {"join_request": join_request, "form": form},
        status=status,
    )


@requires(Perm.QUEUE_MANAGE)
@require_http_methods(["GET", "POST"])
def join_request_detail(request, slug: str, pk: int):
    """An officer reads a request to join and verifies or declines it."""
    network = _network(slug)
    join_request = selectors.join_request_for_user(user=request.user, network=network, pk=pk)
    form = forms.JoinDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "verify":
                    joining.join_request_verify(join_request=join_request, actor=request.user)
                    messages.success(
                        request,
                        _("%(municipality)s is verified and now waits in the queue.")
                        % {"municipality": join_request.municipality},
                    )
                else:
                    joining.join_request_decline(
                        join_request=join_request,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                    messages.success(request, _("The request has been declined."))
                return redirect("matchmaking:queue", slug=network.slug)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        status = 400
    refusal = ""
    if join_request.status == join_request.Status.AWAITING:
        refusal = selectors.join_refusal(municipality=join_request.municipality, network=network)
    return render(
        request,
        "matchmaking/join_request.html",
        {
            "network": network,
            "join_request": join_request,
            "form": form,
            "refusal": refusal,
            "alike": selectors.join_requests_alike(join_request=join_request),
        },
        status=status,
    )
