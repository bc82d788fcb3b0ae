"""Queue pages: public counts, an officer's full queue, a municipality's own place and history;
profiles, suggestions, proposals and letters of intent. Thin: permission, form, one call."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnernet.accounts.permissions import Perm, holds, public, requires
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Network

from . import candidates, forms, matches, reasons, scoring, selectors, services
from .models import LetterOfIntent, QueueEntry


def _network(slug: str) -> Network:
    try:
        return selectors.network_get(slug=slug)
    except Network.DoesNotExist:
        raise Http404 from None


def _municipality(code: str) -> Municipality:
    municipality = Municipality.objects.filter(code=code.strip().upper()[:32]).first()
    if municipality is None:
        raise Http404
    return municipality


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@public
@require_GET
def queue_page(request, slug: str):
    network = _network(slug)
    rows = selectors.queue_counts(network=network)
    context = {
        "network": network,
        "counts": selectors.queue_waiting_counts(network=network),
        "rows": rows,
    }
    if holds(request.user, Perm.QUEUE_MANAGE):
        filters = forms.QueueFilterForm(
            request.GET or None,
            countries=[(row["code"], str(row["country"])) for row in rows],
            areas=list(CooperationArea.objects.order_by("name").values_list("slug", "name")),
        )
        chosen = filters.cleaned_data if filters.is_valid() else {}
        entries = selectors.queue_entries(
            network=network, **{key: chosen.get(key) or "" for key in ("country", "stage", "area")}
        )
        context["filters"] = filters
        context["entries"] = _placed(network, list(entries))
        context["awaiting"] = selectors.join_requests_awaiting(network=network)
    elif request.user.is_authenticated:
        own = selectors.queue_entries_for_user(user=request.user, network=network)
        context["own"] = _placed(network, own)
    return render(request, "matchmaking/queue.html", context)


def _placed(network: Network, entries: list[QueueEntry]) -> list[QueueEntry]:
    positions = selectors.queue_positions(network=network)
    for entry in entries:
        entry.place = positions.get(entry.pk)
        entry.group = selectors.GROUP_OF.get(entry.stage, "closed")
    return entries


@requires(Perm.QUEUE_VIEW)
@require_GET
def entry_detail(request, slug: str, pk: int):
    network = _network(slug)
    entry = selectors.queue_entry_for_user(user=request.user, network=network, pk=pk)
    position = selectors.queue_positions(network=network).get(entry.pk)
    waiting = (timezone.now() - entry.joined_at).days if entry.is_waiting else None
    return render(
        request,
        "matchmaking/entry.html",
        {
            "network": network,
            "entry": entry,
            "position": position,
            "waiting_days": waiting,
            "moves": selectors.queue_moves(entry=entry),
            "is_officer": holds(request.user, Perm.QUEUE_MANAGE),
            "move_form": forms.MoveForm(),
            "reorder_form": forms.ReorderForm(),
        },
    )


def _officer_post(request, slug: str, pk: int, form, act, *, done, invalid):
    """An officer's change to one queue entry: the entry fetched for QUEUE_MANAGE, the form
    parsed, one service called; the outcome said on the entry's page."""
    network = _network(slug)
    entry = selectors.queue_entry_for_user(
        user=request.user, network=network, pk=pk, perm=Perm.QUEUE_MANAGE
    )
    if form.is_valid():
        try:
            act(network, entry, form.cleaned_data)
            messages.success(request, done)
        except ValidationError as error:
            messages.error(request, _error_text(error))
    else:
        messages.error(request, invalid)
    return redirect("matchmaking:entry", slug=slug, pk=pk)


@requires(Perm.QUEUE_MANAGE)
@require_POST
def entry_move(request, slug: str, pk: int):
    return _officer_post(
        request,
        slug,
        pk,
        forms.MoveForm(request.POST),
        lambda network, entry, data: services.queue_entry_move(
            municipality=entry.municipality,
            network=network,
            stage=data["stage"],
            actor=request.user,
            reason=data["reason"],
        ),
        done=_("The move has been recorded."),
        invalid=_("Please choose a stage and state a reason."),
    )


@requires(Perm.QUEUE_MANAGE)
@require_POST
def entry_reorder(request, slug: str, pk: int):
    return _officer_post(
        request,
        slug,
        pk,
        forms.ReorderForm(request.POST),
        lambda network, entry, data: services.queue_entry_reorder(
            entry=entry, position=data["position"], actor=request.user, reason=data["reason"]
        ),
        done=_("The new order has been recorded."),
        invalid=_("Please give a place and state a reason."),
    )


@requires(Perm.PROFILE_EDIT)
@require_http_methods(["GET", "POST"])
def profile_edit(request, slug: str, code: str):
    network, municipality = _network(slug), _municipality(code)
    profile = selectors.profile_for_user(
        user=request.user, network=network, municipality=municipality
    )
    form = forms.ProfileForm(request.POST or None, initial=_profile_initial(profile))
    if request.method == "POST" and form.is_valid():
        services.profile_save(
            municipality=municipality, network=network, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("The interest profile has been saved."))
        return redirect("matchmaking:profile", slug=slug, code=municipality.code)
    return render(
        request,
        "matchmaking/profile_form.html",
        {"network": network, "municipality": municipality, "profile": profile, "form": form},
    )


def _profile_initial(profile) -> dict:
    if profile is None:
        return {"capacity": 1}
    return {
        "text": profile.original_text(),
        "source_language": profile.source_language,
        "areas": list(profile.areas.all()),
        "priorities": profile.priorities,
        "capacity": profile.capacity,
        "contact_name": profile.contact_name,
        "contact_email": profile.contact_email,
        "contact_phone": profile.contact_phone,
        "excluded": ", ".join(m.code for m in profile.excluded.all()),
    }


# What each component of the score weighs (scoring.WEIGHTS), in the officer's words.
COMPONENT_LABELS = {
    "areas": gettext_lazy("cooperation areas in common"),
    "meaning": gettext_lazy("needs and offers close in meaning"),
    "topics": gettext_lazy("topics one side offers and the other asks for"),
    "keywords": gettext_lazy("other words in common"),
    "size": gettext_lazy("similar population"),
    "kind": gettext_lazy("same kind (urban, small-town, rural)"),
    "region": gettext_lazy("the regions already work together"),
    "capacity": gettext_lazy("room for another partnership"),
}


@requires(Perm.MATCH_PROPOSE)
@require_GET
def suggestions(request, slug: str, code: str):
    network, municipality = _network(slug), _municipality(code)
    groups = candidates.suggest_grouped(network=network, municipality=municipality, top=10)
    areas = dict(CooperationArea.objects.values_list("slug", "name"))

    def rows(ranked):
        return [{"s": s, "reasons": reasons.render_all(s.reasons, areas)} for s in ranked]

    weights = [
        {"label": COMPONENT_LABELS[name], "percent": round(weight * 100)}
        for name, weight in scoring.WEIGHTS.items()
    ]
    return render(
        request,
        "matchmaking/suggestions.html",
        {
            "network": network,
            "municipality": municipality,
            "rows": rows(groups.ready),
            "full": rows(groups.full),
            "no_profile": rows(groups.no_profile),
            "weights": weights,
            "penalty": round(scoring.FULL_PENALTY * 100),
            "profile_free_most": round(
                sum(scoring.WEIGHTS[n] for n in ("size", "kind", "region", "capacity")), 2
            ),
        },
    )


@requires(Perm.MATCH_PROPOSE)
@require_POST
def propose(request, slug: str):
    network = _network(slug)
    form = forms.ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give both municipalities."))
        return redirect("matchmaking:queue", slug=slug)
    swedish, partner = (
        _municipality(form.cleaned_data["swedish"]),
        _municipality(form.cleaned_data["partner"]),
    )
    try:
        proposal = matches.match_propose(
            network=network,
            swedish_partner=swedish,
            partner=partner,
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("matchmaking:suggestions", slug=slug, code=swedish.code)
    messages.success(request, _("The match has been proposed to both municipalities."))
    return redirect("matchmaking:proposal", pk=proposal.pk)


def _side_answer(request, pair, perm: Perm, form_class, act, *, done):
    """A page where each side of a pair answers for itself (a proposal, a letter of intent):
    the sides the person answers for, their form, and one service when it is posted. Returns
    (form, sides, whether it was recorded)."""
    sides = selectors.sides_for_user(
        request.user, swedish=pair.swedish_partner, partner=pair.partner, perm=perm
    )
    form = form_class(request.POST or None, sides=sides)
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, done)
            return form, sides, True
    return form, sides, False


@requires(Perm.MATCH_RESPOND)
@require_http_methods(["GET", "POST"])
def proposal_detail(request, pk: int):
    proposal = selectors.proposal_for_user(user=request.user, pk=pk)
    form, sides, recorded = _side_answer(
        request,
        proposal,
        Perm.MATCH_RESPOND,
        forms.RespondForm,
        lambda data: matches.match_respond(
            proposal=proposal,
            side=data["side"],
            accept=data["decision"] == "accept",
            reason=data["reason"],
            actor=request.user,
        ),
        done=_("Your answer has been recorded."),
    )
    if recorded:
        return redirect("matchmaking:proposal", pk=pk)
    areas = dict(CooperationArea.objects.values_list("slug", "name"))
    return render(
        request,
        "matchmaking/proposal.html",
        {
            "proposal": proposal,
            "form": form,
            "sides": sides,
            "reasons": reasons.render_all(proposal.reasons, areas),
            "letter": LetterOfIntent.objects.filter(proposal=proposal).first(),
        },
    )


@requires(Perm.LETTER_CONFIRM)
@require_http_methods(["GET", "POST"])
def letter_detail(request, pk: int):
    letter = selectors.letter_for_user(user=request.user, pk=pk)
    form, sides, recorded = _side_answer(
        request,
        letter,
        Perm.LETTER_CONFIRM,
        forms.ConfirmForm,
        lambda data: matches.letter_confirm(letter=letter, side=data["side"], actor=request.user),
        done=_("Your confirmation has been recorded."),
    )
    if recorded:
        return redirect("matchmaking:letter", pk=pk)
    return render(
        request, "matchmaking/letter.html", {"letter": letter, "form": form, "sides": sides}
    )
