"""Public pages of the registry: search and one municipality with its partnerships. They live
in the catalogue (a public channel) because they show partnerships; the municipalities app is
reference data below the permission layer and imports neither. Templates: municipalities/."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from partnernet.accounts.permissions import Perm, holds, public, requires
from partnernet.lib.text import clean_input
from partnernet.municipalities import selectors
from partnernet.municipalities.countries import COUNTRIES
from partnernet.municipalities.models import Municipality
from partnernet.municipalities.services import ImportRejected

from . import services
from .forms import GovernmentForm
from .selectors import municipality_partnerships


@public
@require_GET
def municipality_search(request):
    query = clean_input(request.GET.get("q", ""), 100)
    wanted = request.GET.get("country", "").upper()
    country = wanted if wanted in COUNTRIES else ""
    results = (
        list(selectors.municipality_search(query=query, country=country))
        if query or country
        else []
    )
    return render(
        request,
        "municipalities/search.html",
        {
            "query": query,
            "country": country,
            "countries": list(COUNTRIES),
            "results": results,
            "may_add": holds(request.user, Perm.REGISTRY_ADD),
        },
    )


@requires(Perm.REGISTRY_ADD)
@require_http_methods(["GET", "POST"])
def government_add(request):
    """An officer adds a local or regional government of another country."""
    form = GovernmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            municipality = services.registry_government_add(actor=request.user, fields=form.row())
        except ImportRejected as rejected:
            for error in rejected.errors:
                form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is in the registry.") % {"name": municipality})
            return redirect(municipality.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "municipalities/add.html", {"form": form}, status=status)


@public
@require_GET
def municipality_detail(request, code: str):
    try:
        municipality = selectors.municipality_get(code=code.upper())
    except Municipality.DoesNotExist:
        raise Http404 from None
    partnerships = municipality_partnerships(municipality=municipality)
    return render(
        request,
        "municipalities/detail.html",
        {"municipality": municipality, "partnerships": partnerships},
    )
