"""The public pages of calls (`/<lang>/calls/`): every open and upcoming call, and past ones
without a way to apply. Drafts and closed calls have no public page (404)."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from partnernet.accounts.permissions import Perm, holds, public
from partnernet.lib.languages import best_text

from . import selectors
from .models import CALL_TEXTS, Call

# The two time zones of the programme: deadlines are shown in both.
STOCKHOLM, KYIV = "Europe/Stockholm", "Europe/Kyiv"


@public
@require_GET
def call_list(request):
    return render(request, "grants/public/call_list.html", {"calls": selectors.calls_public()})


@public
@require_GET
def call_detail(request, pk: int):
    try:
        call = selectors.call_public_get(pk=pk)
    except Call.DoesNotExist:
        raise Http404 from None
    eligible, ineligible = selectors.call_cost_categories()
    now = timezone.now()
    language = get_language() or "sv"
    # As on a partnership's page: a missing or out-of-date translation shows the original.
    state = call.translation_state(language)
    reader = call.source_language if state in ("missing", "outdated") else language
    context = {
        "call": call,
        "translation_state": state,
        "texts": {field: best_text(call, field, reader) for field in CALL_TEXTS},
        "is_open": call.is_open_at(now),
        "is_upcoming": call.opens_at is not None and call.opens_at > now,
        "ceiling": selectors.ceiling_for(call),
        "eligible": eligible,
        "ineligible": ineligible,
        "may_apply": holds(request.user, Perm.APPLICATION_WRITE),
        "may_manage": holds(request.user, Perm.CALL_MANAGE),
        "zones": (STOCKHOLM, KYIV),
    }
    return render(request, "grants/public/call_detail.html", context)
