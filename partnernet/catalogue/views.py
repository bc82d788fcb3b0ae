"""Public pages: home, catalogue, partnership, network and map. Thin: parse, select, render."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
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
from .conditional import catalogue_conditional
from .filters import CatalogueQuery
from .plan import query_plan
from .selectors import catalogue_facets, catalogue_ids

PAGE_SIZE = 20
MAP_LIMIT = 2000  # lines beyond this many are unreadable anyway; the filters narrow them
MAP_CACHE_SECONDS = 15 * 60  # a map rebuilt is ~2 s of CPU at 1 000 partnerships


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
    facets = catalogue_facets(query, matching=pages.as_set(ranked), version=version)
    # the ordered ids come from the public index: paging them costs no query
    ids = catalogue_ids(query, ranked=ranked, version=version)
    page = Paginator(ids, PAGE_SIZE).get_page(query.page)
    # The page shows the partnerships of its ids, in the ranked order.
    page.object_list = pages.in_order(page.object_list)  # type: ignore[assignment]
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
    return render(request, "catalogue/network_detail.html", pages.network_context(network))


@public
@require_GET
@catalogue_conditional
def map_view(request):
    query = CatalogueQuery.from_params(request.GET)
    version = getattr(request, "catalogue_version", None)
    ranked = pages.ranked_ids(query, version)
    facets = catalogue_facets(query, matching=pages.as_set(ranked), version=version)

    def parts() -> dict:
        results = pages.in_order(catalogue_ids(query, ranked=ranked, version=version)[:MAP_LIMIT])
        return {
            "count": len(results),
            "map_data": pages.map_data(results),
            "rows": render_to_string("catalogue/_map_rows.html", {"results": results}, request),
        }

    context = {
        "query": query,
        # the key changes with any write (the data version): kept for long, rebuilt seldom
        **pages.cached_parts(request, "map", parts, seconds=MAP_CACHE_SECONDS),
        "facets": pages.facet_groups(facets),
        "active": pages.active_chips(request.GET, query, facets),
    }
    return render(request, "catalogue/map.html", context)
