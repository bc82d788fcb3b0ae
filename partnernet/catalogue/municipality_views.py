"""Public pages of the registry: search and one municipality with its partnerships. They live
in the catalogue (a public channel) because they show partnerships; the municipalities app is
reference data below the permission layer and imports neither. Templates: municipalities/."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from partnernet.accounts.permissions import public
from partnernet.lib.text import clean_input
from partnernet.municipalities import selectors
from partnernet.municipalities.models import Municipality

from .selectors import municipality_partnerships


@public
@require_GET
def municipality_search(request):
    query = clean_input(request.GET.get("q", ""), 100)
    country = request.GET.get("country", "") if request.GET.get("country") in ("SE", "UA") else ""
    results = (
        list(selectors.municipality_search(query=query, country=country))
        if query or country
        else []
    )
    return render(
        request,
        "municipalities/search.html",
        {"query": query, "country": country, "results": results},
    )


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
