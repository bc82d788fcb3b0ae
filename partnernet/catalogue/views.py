"""Public pages: home, catalogue, partnership, network and map. Thin: parse, select, render."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from partnernet.accounts.permissions import Perm, holds, public
from partnernet.documents.selectors import documents_public
from partnernet.events.selectors import events_public_upcoming_of_partnership
from partnernet.partnerships import selectors as partnership_selectors
from partnernet.partnerships.models import Network, Partnership
from partnernet.workspace import selectors as workspace_selectors

from . import pages
from .conditional import catalogue_conditional, map_conditional
from .filters import CatalogueQuery
from .plan import query_plan
from .selectors import catalogue_facets, catalogue_id_array

PAGE_SIZE = 20
MAP_PAGE_SIZE = 25  # rows of the map's text alternative per page
MAP_MAX_AGE = 60  # seconds a browser may reuse the map's data before asking again (ETag)


@public
@require_GET
@catalogue_conditional
def home(request):
    return render(request, "catalogue/home.html", pages.home_context(get_language() or "sv"))


@public
@require_GET
@catalogue_conditional
def partnership_list(request):
    return pages.cached_page(request, _partnership_list)


def _partnership_list(request):
    query = CatalogueQuery.from_params(request.GET)
    plan = query_plan(query.q)  # the one parse: ranking and highlighting read it
    version = getattr(request, "catalogue_version", None)
    ranked = pages.ranked_ids(query, version, plan=plan)
    facets = catalogue_facets(query, matching=ranked, version=version)
    # the ordered ids come from the public index: paging them costs no query (an array: only
    # the page's ids become Python ints)
    ids = catalogue_id_array(query, ranked=ranked, version=version)
    page = Paginator(ids, PAGE_SIZE).get_page(query.page)
    # The page shows the partnerships of its ids, in the ranked order.
    page.object_list = pages.in_order(page.object_list, version=version)
    context = {
        "query": query,
        "page": page,
        "items": pages.highlighted(page.object_list, plan, get_language() or "sv"),
        "facets": pages.facet_groups(facets),
        "active": pages.active_chips(request.GET, query, facets),
        "sorts": pages.sort_options(),
    }
    template = (
        "catalogue/_results.html"
        if pages.wants_fragment(request)
        else "catalogue/partnership_list.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@public
@require_GET
@catalogue_conditional
def partnership_detail(request, slug: str):
    try:
        partnership = partnership_selectors.partnership_public_get(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404 from None
    language = get_language() or "sv"
    context = {
        "partnership": partnership,
        **pages.partnership_context(partnership, language),
    }
    context["may_manage_publication"] = holds(request.user, Perm.PUBLICATION_MANAGE)
    # What the partnership has done: done activities the team made public, published documents.
    context["done_activities"] = workspace_selectors.public_activities(partnership)
    context["public_documents"] = documents_public(partnership=partnership)
    context["upcoming_events"] = events_public_upcoming_of_partnership(
        partnership_id=partnership.pk
    )
    return render(request, "catalogue/partnership_detail.html", context)


@public
@require_GET
def network_detail(request, slug: str):
    try:
        network = partnership_selectors.network_public_get(slug=slug)
    except Network.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "catalogue/network_detail.html",
        pages.network_context(network, request.GET.get("page")),
    )


@public
@require_GET
@catalogue_conditional
def map_view(request):
    return pages.cached_page(request, _map_page)


def _map_page(request):
    """The map's page: the filters, the map (drawn by map.js from the GeoJSON of the same
    filters) and its text alternative, one page of the matching partnerships at a time."""
    query = CatalogueQuery.from_params(request.GET)
    version = getattr(request, "catalogue_version", None)
    ranked = pages.ranked_ids(query, version)
    facets = catalogue_facets(query, matching=ranked, version=version)
    ids = catalogue_id_array(query, ranked=ranked, version=version)
    page = Paginator(ids, MAP_PAGE_SIZE).get_page(query.page)
    page.object_list = pages.in_order(page.object_list, version=version)
    data = pages.map_data_query(request.GET)
    context = {
        "query": query,
        "count": len(ids),
        "page": page,
        "data_url": reverse("catalogue:map_data") + ("?" + data if data else ""),
        "facets": pages.facet_groups(facets),
        "active": pages.active_chips(request.GET, query, facets),
    }
    return render(request, "catalogue/map.html", context)


@public
@require_GET
@map_conditional
def map_geojson(request):
    """The map's data as GeoJSON, for the catalogue's filters; bad filters are left out and
    named in `problems` (200, never 500)."""
    response = HttpResponse(pages.map_geojson(request), content_type="application/geo+json")
    response["Cache-Control"] = f"public, max-age={MAP_MAX_AGE}"
    return response
