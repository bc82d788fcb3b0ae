"""Public pages: home, catalogue, partnership, network and map. Thin: parse, select, render."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from partnernet.accounts.permissions import public
from partnernet.partnerships import selectors as partnership_selectors
from partnernet.partnerships.models import Network, Partnership

from . import pages, search
from .filters import CatalogueQuery
from .selectors import catalogue_facets, catalogue_partnerships

PAGE_SIZE = 20


@public
@require_GET
def home(request):
    return render(request, "catalogue/home.html", pages.home_context(get_language() or "sv"))


@public
@require_GET
def partnership_list(request):
    query = CatalogueQuery.from_params(request.GET)
    ranked = pages.ranked_ids(query)
    results = catalogue_partnerships(query, ranked=ranked)
    page = Paginator(results, PAGE_SIZE).get_page(query.page)
    groups = search.query_groups(query.q) if query.q else []
    context = {
        "query": query,
        "page": page,
        "items": pages.highlighted(page.object_list, groups, get_language() or "sv"),
        "facets": pages.facet_groups(catalogue_facets(query, matching=pages.as_set(ranked))),
        "active": pages.active_chips(request.GET, query),
        "sorts": pages.sort_options(),
    }
    template = "catalogue/_results.html" if request.htmx else "catalogue/partnership_list.html"
    return render(request, template, context)


@public
@require_GET
def partnership_detail(request, slug: str):
    try:
        partnership = partnership_selectors.partnership_public_get(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404 from None
    language = get_language() or "sv"
    context = {"partnership": partnership, **pages.partnership_context(partnership, language)}
    return render(request, "catalogue/partnership_detail.html", context)


@public
@require_GET
def network_detail(request, slug: str):
    try:
        network = partnership_selectors.network_public_get(slug=slug)
    except Network.DoesNotExist:
        raise Http404 from None
    return render(request, "catalogue/network_detail.html", pages.network_context(network))


@public
@require_GET
def map_view(request):
    query = CatalogueQuery.from_params(request.GET)
    ranked = pages.ranked_ids(query)
    results = list(catalogue_partnerships(query, ranked=ranked))
    context = {
        "query": query,
        "results": results,
        "map_data": pages.map_data(results),
        "facets": pages.facet_groups(catalogue_facets(query, matching=pages.as_set(ranked))),
        "active": pages.active_chips(request.GET, query),
    }
    return render(request, "catalogue/map.html", context)
