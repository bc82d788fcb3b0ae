"""Public reads of /api/v1: partnerships (the catalogue's filters), municipalities (the registry
search), networks, cooperation areas and global goals. Only published data, through the same
selectors as the public pages."""

import numpy as np
from django.http import Http404
from ninja import Query, Router
from ninja.pagination import paginate

from partnernet.accounts.permissions import public
from partnernet.catalogue.facets import FacetIndex
from partnernet.catalogue.filters import MULTI, CatalogueQuery
from partnernet.catalogue.selectors import (
    catalogue_id_array,
    catalogue_version,
    facet_index,
    id_array,
    matching_ids,
)
from partnernet.municipalities.models import Municipality as MunicipalityModel
from partnernet.municipalities.selectors import municipality_list, municipality_search
from partnernet.partnerships.models import CooperationArea
from partnernet.partnerships.models import Goal as GoalModel
from partnernet.partnerships.models import Network as NetworkModel
from partnernet.partnerships.models import Partnership as PartnershipModel
from partnernet.partnerships.selectors import (
    network_public_list,
    partnership_public_get,
    partnership_public_page,
)

from . import present
from .pagination import CursorPages, NumberedPages, Presented
from .problems import request_language
from .schemas import (
    Area,
    Goal,
    LanguageParam,
    Municipality,
    MunicipalityCodePath,
    MunicipalityFilters,
    Network,
    Partnership,
    PartnershipFilters,
    PathSlug,
)

router = Router(tags=["public"])


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def catalogue_query(filters: PartnershipFilters) -> CatalogueQuery:
    """The API's validated parameters, handed to the catalogue's own parser unchanged in meaning."""
    params = {name: [str(v) for v in getattr(filters, name)] for name in MULTI}
    params.update(q=[filters.q] if filters.q else [], sort=[filters.sort] if filters.sort else [])
    return CatalogueQuery.from_params(params)


def partnership_rows(ids: "list[int] | np.ndarray", index: FacetIndex):
    """Two steps, as the catalogue pages do: the ids in the requested order (from the public
    index), then only one page of rows with their relations, put back in that order."""

    def rows(start: int, stop: int) -> list:
        page = id_array(ids[start:stop]).tolist()
        loaded = partnership_public_page(page, generation=index.vocabulary)
        return [loaded[pk] for pk in page if pk in loaded]

    return rows


@router.get(
    "/partnerships",
    response=list[Partnership],
    exclude_unset=True,
    summary="Published partnerships, filtered like the catalogue",
)
@public
@paginate(CursorPages)
def partnerships_list(request, filters: Query[PartnershipFilters]):
    lang, root = request_language(request), base_url(request)
    # The count and the cursor's position come from the in-memory index's ids: no COUNT(*).
    version = catalogue_version()
    ids = catalogue_id_array(catalogue_query(filters), version=version)
    return Presented(
        count=lambda: len(ids),
        rows=partnership_rows(ids, facet_index(version)),
        present=lambda item: present.partnership(item, lang, root),
        keys=ids,
    )


@router.get(
    "/partnerships/{slug}",
    response=Partnership,
    exclude_unset=True,
    summary="One published partnership",
)
@public
def partnership_detail(request, slug: PathSlug, params: Query[LanguageParam]):
    try:
        item = partnership_public_get(slug=slug)
    except PartnershipModel.DoesNotExist:
        raise Http404 from None
    return present.partnership(item, request_language(request), base_url(request))


@router.get(
    "/municipalities",
    response=list[Municipality],
    summary="Search the registry of Swedish municipalities and Ukrainian hromadas",
)
@public
@paginate(NumberedPages)
def municipalities_list(request, filters: Query[MunicipalityFilters]):
    if filters.q.strip():
        items = municipality_search(query=filters.q, country=filters.country or "", limit=5000)
    else:
        items = municipality_list().order_by("country_id", "name", "code")
        if filters.country:
            items = items.filter(country_id=filters.country)
    lang = request_language(request)
    return Presented.of(items, lambda m: present.municipality(m, lang))


@router.get(
    "/municipalities/{code}", response=Municipality, summary="One municipality by official code"
)
@public
def municipality_detail(request, code: MunicipalityCodePath, params: Query[LanguageParam]):
    try:
        item = municipality_list().get(code=code.upper())
    except MunicipalityModel.DoesNotExist:
        raise Http404 from None
    return present.municipality(item, request_language(request))


def _networks():
    return network_public_list().order_by("slug")


def _network(item, lang: str, index) -> dict:
    """One network; its published partnerships are counted from the catalogue's public index
    (`index`, kept per data version), not by a scan of every partnership per request."""
    return {
        "slug": item.slug,
        "name": present.translated(item, "name", lang),
        "description": present.translated(item, "description", lang),
        "funder": item.funder,
        "launched_on": item.launched_on,
        "partnerships": len(matching_ids(index, CatalogueQuery(network=(item.slug,)))),
    }


@router.get("/networks", response=list[Network], summary="Networks of partnerships")
@public
def networks_list(request, params: Query[LanguageParam]):
    lang = request_language(request)
    index = facet_index()
    return [_network(item, lang, index) for item in _networks()]


@router.get("/networks/{slug}", response=Network, summary="One network")
@public
def network_detail(request, slug: PathSlug, params: Query[LanguageParam]):
    try:
        item = _networks().get(slug=slug)
    except NetworkModel.DoesNotExist:
        raise Http404 from None
    return _network(item, request_language(request), facet_index())


@router.get("/areas", response=list[Area], summary="Cooperation areas with their DAC sector")
@public
def areas_list(request, params: Query[LanguageParam]):
    lang = request_language(request)
    return [
        {"slug": a.slug, "name": present.translated(a, "name", lang), "dac_sector": a.dac_sector}
        for a in CooperationArea.objects.order_by("slug")
    ]


@router.get("/goals", response=list[Goal], summary="The 17 global goals")
@public
def goals_list(request, params: Query[LanguageParam]):
    lang = request_language(request)
    return [
        {
            "number": g.number,
            "short_name": present.translated(g, "short_name", lang),
            "title": present.translated(g, "title", lang),
            "colour": g.colour,
        }
        for g in GoalModel.objects.order_by("number")
    ]
