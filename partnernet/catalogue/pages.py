"""What the public pages show, prepared from selectors as plain values, and the page cache."""

import hashlib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlencode

import numpy as np
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partnernet.events.selectors import events_public_upcoming
from partnernet.lib import singleflight
from partnernet.lib.languages import best_text
from partnernet.matchmaking.selectors import queue_waiting_counts
from partnernet.partnerships.models import Network, Partnership
from partnernet.partnerships.projection import PublicPartnership, blanked_by
from partnernet.partnerships.selectors import (
    partnership_public_list,
    partnership_public_page,
    partnerships_public,
)
from partnernet.workspace.selectors import public_activities_done_in

from . import mapdata, search
from .charts import home_charts
from .facets import FacetIndex, FacetOption, facet_index, id_array
from .filters import MULTI, SORTS, CatalogueQuery
from .plan import QueryPlan
from .selectors import (
    catalogue_id_array,
    catalogue_ranked,
    catalogue_row_mask,
    catalogue_version,
)

FACET_LEGENDS = {
    "q": _("Search"),
    "country": _("Country of the international partner"),
    "swedish_partner": _("Swedish partner"),
    "partner": _("International partner"),
    "area": _("Cooperation area"),
    "sdg": _("Global goal"),
    "tag": _("Tag"),
    "network": _("Network"),
    "phase": _("Phase"),
    "status": _("Status"),
    "year": _("Start year"),
}
SORT_LABELS = {
    "relevance": _("Best match"),
    "title": _("Title"),
    "-start": _("Newest first"),
    "start": _("Oldest first"),
    "swedish_partner": _("Swedish partner"),
    "partner": _("International partner"),
}


PAGE_CACHE_SECONDS = 60
MAP_CACHE_SECONDS = 15 * 60  # keyed by the data version: a write starts afresh anyway


def cached_page(request, render_page) -> HttpResponse:
    """Anonymous catalogue pages are kept per data version, language and address, so a
    repeated page costs one primary-key read; any write to what the page shows (bulk updates
    and raw SQL included, through the version triggers) starts afresh.

    A missed page is rendered once however many ask for it at the same time: the others wait
    for its body (`lib.singleflight`: threads of this process and, through a lease in the
    shared cache, other processes), and render it themselves only if it does not come."""
    if request.user.is_authenticated or get_messages(request):
        return render_page(request)
    request.catalogue_version = getattr(request, "catalogue_version", None) or catalogue_version()
    parts = (
        request.catalogue_version,
        get_language(),
        wants_fragment(request),
        request.get_full_path(),
    )
    key = "catalogue:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    found = singleflight.fetch(
        cache,
        key,
        lambda: render_page(request),
        keep=_page_body,
        timeout=PAGE_CACHE_SECONDS,
    )
    if not isinstance(found, singleflight.Shared):
        return found  # rendered here: the response as the view made it
    response = HttpResponse(found.value)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _page_body(response: HttpResponse) -> bytes | None:
    """What is kept of a rendered page: the body of a whole page, nothing of an error."""
    return response.content if response.status_code == 200 else None


def wants_fragment(request) -> bool:
    """htmx swaps the results in place; a history restore (back button) needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def ranked_ids(
    query: CatalogueQuery, version: tuple | None = None, *, plan: QueryPlan | None = None
) -> np.ndarray | None:
    """The text query's hits, best first, as an array (None without a text query): the facet
    counts and the ordered ids read it without a Python int per hit."""
    return catalogue_ranked(query, version=version, plan=plan)


def in_order(
    ids, *, index: FacetIndex | None = None, version: tuple | None = None
) -> list[PublicPartnership]:
    """The public projections of the published partnerships of `ids`, fetched in one go, in
    the order of `ids`.

    Pages first find their ids in the public index, then read the rows only for those; what
    the rows point to is kept per build of that index (`partnership_public_page`)."""
    ids = id_array(ids).tolist()
    index = index or facet_index(version)
    # The cards show neither goals nor tags: their two queries are left out.
    found = partnership_public_page(ids, generation=index.vocabulary, goals_and_tags=False)
    return partnerships_public(found[pk] for pk in ids if pk in found)


@dataclass
class Item:
    partnership: Partnership
    title: str
    summary: str
    summary_lang: str


def highlighted(partnerships, plan: QueryPlan, language: str) -> list[Item]:
    """Titles and summaries with the words of the query marked (none without a text query)."""
    groups = plan.groups
    items = []
    for p in partnerships:
        title, title_lang = best_text(p, "title", language)
        summary, summary_lang = best_text(p, "summary", language)
        items.append(
            Item(
                p,
                search.highlight(title, groups, title_lang),
                search.highlight(summary, groups, summary_lang),
                summary_lang,
            )
        )
    return items


class FacetGroup(NamedTuple):
    """One facet of the filter form: its options and their checkboxes, drawn in Python."""

    name: str
    legend: str
    options: list[FacetOption]
    open: bool  # a value of it is chosen: the group is shown unfolded
    items: SafeString  # the options' <li> checkboxes


def facet_groups(facets: dict) -> list[FacetGroup]:
    return [
        FacetGroup(
            name,
            str(FACET_LEGENDS[name]),
            facets[name],
            any(option.selected for option in facets[name]),
            option_items(name, facets[name]),
        )
        for name in MULTI
        if facets.get(name)
    ]


def option_items(name: str, options: list[FacetOption]) -> SafeString:
    """The `<li>` checkbox of every option. A template loop over them was the larger part of an
    uncached catalogue page (about ten template lookups and two slugify calls per option, over
    200 options); this is the same markup, escaped here."""
    items = []
    for option in options:
        ident = f"f-{name}-{_slug(str(option.value))}"
        checked = " checked" if option.selected else ""
        items.append(
            f'<li><input type="checkbox" id="{ident}" name="{name}" '
            f'value="{conditional_escape(str(option.value))}"{checked}>\n'
            f'          <label for="{ident}">{conditional_escape(option.label)} '
            f'<span class="count">({option.count})</span></label></li>'
        )
    return mark_safe("\n        ".join(items))  # noqa: S308  (every value is escaped above)


@lru_cache(maxsize=8192)
def _slug(value: str) -> str:
    return escape(slugify(value))


def active_chips(
    params, query: CatalogueQuery, facets: dict | None = None
) -> list[tuple[str, str]]:
    """(label, link without this value) for every active filter, the text query included."""
    labels = {(name, o.value): o.label for name, options in (facets or {}).items() for o in options}
    chips = []
    if query.q:
        chips.append((f"{FACET_LEGENDS['q']}: {query.q}", "?" + _encode(params, "q", None)))
    for name, values in query.active_filters().items():
        for value in values:
            label = f"{FACET_LEGENDS[name]}: {labels.get((name, value), value)}"
            chips.append((label, "?" + _encode(params, name, str(value))))
    return chips


def _encode(params, name: str, value: str | None) -> str:
    pairs = []
    for key in params:
        if key == "page":
            continue
        for item in params.getlist(key):
            parts = [v for v in str(item).split(",") if v.strip()]
            for part in parts:
                if key == name and (value is None or _same_value(part.strip(), value)):
                    continue
                pairs.append((key, part.strip()))
    return urlencode(pairs)


def _same_value(written: str, value: str) -> bool:
    """`written` (as in the address) is read as `value`: case aside, and numbers (goals,
    years) with leading zeros, as the parser reads them."""
    if written.isascii() and written.isdigit() and value.isdigit():
        return int(written) == int(value)
    return written.upper() == value.upper()


def sort_options() -> list[tuple[str, str]]:
    return [
        (value, str(SORT_LABELS[value]))
        for value in ("relevance", *[s for s in SORTS if s != "relevance"])
    ]


def partnership_context(partnership: PublicPartnership, language: str) -> dict:
    state = partnership.translation_state(language)
    stale = state in ("missing", "outdated")
    texts = {}
    for field in ("summary", "description"):
        if not getattr(partnership, field):
            continue
        if stale:
            texts[field] = translated_original(partnership, field)
        else:
            texts[field] = best_text(partnership, field, language)
    return {
        "translation_state": state,
        "texts": texts,
        "show_amount": partnership.granted_amount is not None,
        "show_period": partnership.start_date is not None,
        "show_tags": bool(partnership.tags.all()),
        "pair_data": map_data([partnership]),
    }


def translated_original(obj, field: str) -> tuple[str, str]:
    source = obj.source_language
    value = getattr(obj, f"{field}_{source}", "") or ""
    return (value, source) if value else best_text(obj, field, source)


NETWORK_PAGE_SIZE = 24


def network_context(network: Network, page_number: str | None) -> dict:
    """The network page: its key figures and one page of its published partnerships by
    public title. The ids come from the public index (no read of every partnership); only the
    page's rows are fetched."""
    index = facet_index()
    ids = catalogue_id_array(CatalogueQuery(network=(network.slug,)), version=index.version)
    page = Paginator(ids, NETWORK_PAGE_SIZE).get_page(page_number)
    page.object_list = in_order(page.object_list, index=index)
    return {
        "network": network,
        "page": page,
        "partnerships": page.object_list,
        "key_figures": network_key_figures(network, count=len(ids)),
        "meetings": events_public_upcoming(network=network),
        "waiting": queue_waiting(network),
    }


def network_key_figures(network: Network, *, count: int | None = None) -> dict[str, object]:
    """The network's public key figures, from public data only: its published partnerships
    (`count` when the caller has it from the public index), the money granted to them as the
    public projection shows it (an amount a partnership keeps private adds nothing), and their
    done activities the public may read. A constant number of aggregate queries, however many
    partnerships the network has."""
    published = Partnership.objects.published().filter(network=network)
    if count is None:
        count = published.count()
    # Summed per set of private fields, then each sum kept or dropped by the projection's own
    # rule (`blanked_by`): few distinct sets, one grouped query, no row read into memory.
    sums = (
        published.filter(granted_amount__isnull=False)
        .order_by()
        .values("private_fields")
        .annotate(total=Sum("granted_amount"))
    )
    granted = sum(
        (
            row["total"]
            for row in sums
            if row["total"] is not None
            and "granted_amount" not in blanked_by(row["private_fields"])
        ),
        Decimal(0),
    )
    return {
        "partnerships": count,
        "granted": granted,
        "activities_done": public_activities_done_in(published.values("pk")),
    }


def queue_waiting(network: Network) -> list[tuple[str, int]]:
    """(country code, municipalities waiting) for Sweden and Ukraine, then any other country
    with a government waiting."""
    counts = queue_waiting_counts(network=network)
    others = sorted(code for code, count in counts.items() if count and code not in ("SE", "UA"))
    return [(code, counts.get(code, 0)) for code in ("SE", "UA", *others)]


def map_data(partnerships) -> dict:
    """GeoJSON of a few public projections (one partnership's page): the municipalities with
    their number of partnerships in the set and a line per pair, shaped like `map_geojson`."""
    points: dict[str, dict] = {}
    lines = []
    for p in partnerships:
        for m in (p.swedish_partner, p.partner):
            if m is None or m.latitude is None or m.longitude is None:
                continue
            point = points.setdefault(
                m.code,
                {
                    "kind": "municipality",
                    "code": m.code,
                    "name": m.name,
                    "count": 0,
                    "url": m.get_absolute_url(),
                    "at": [round(m.longitude, 4), round(m.latitude, 4)],
                },
            )
            point["count"] += 1
        if p.partner is not None and {p.swedish_partner.code, p.partner.code} <= set(points):
            ends = [points[p.swedish_partner.code]["at"], points[p.partner.code]["at"]]
            properties = {"kind": "pair", "a": p.swedish_partner.code, "b": p.partner.code}
            properties |= {"count": 1, "title": str(p.title), "url": p.get_absolute_url()}
            lines.append(mapdata.feature("LineString", ends, properties))
    features = [
        *lines,
        *(mapdata.feature("Point", point.pop("at"), point) for point in points.values()),
    ]
    return {"type": "FeatureCollection", "features": features}


def map_geojson(request) -> bytes:
    """The map's GeoJSON for the filters of `request` (those of the catalogue, `q` included),
    kept per data version, language and filters for every reader (it holds public data only):
    a repeated request costs the version read."""
    request.catalogue_version = getattr(request, "catalogue_version", None) or catalogue_version()
    version = request.catalogue_version
    language = get_language() or "sv"
    key = "catalogue-map:" + hashlib.sha256(repr(map_key(request, version)).encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        query = CatalogueQuery.from_params(request.GET)
        index, rows = catalogue_row_mask(query, ranked=ranked_ids(query, version), version=version)
        table = mapdata.map_table(version)
        if table.ids is index.ids:  # the table is made of this index's columns: its rows
            counts = mapdata.map_counts_of_rows(table, rows)
        else:
            counts = mapdata.map_counts(table, index.ids[rows])
        body = mapdata.geojson(
            table,
            counts,
            language=language,
            params=request.GET,
            total=int(rows.sum()),
            problems=sorted(set(query.problems)),
        )
        cache.set(key, body, MAP_CACHE_SECONDS)
    return body


def map_key(request, version: tuple) -> tuple:
    """What the map's data depends on: the data version, the language and the filters (the
    page number and the sort order change nothing on a map)."""
    params = sorted(
        (k, v) for k, vs in request.GET.lists() if k not in ("page", "sort") for v in vs
    )
    return (version, get_language() or "", tuple(params))


def map_data_query(params) -> str:
    """The filters of the map's page as the query string of its GeoJSON."""
    data = params.copy()
    for name in ("page", "sort"):
        data.pop(name, None)
    return data.urlencode()


def home_context(language: str) -> dict:
    newest = partnerships_public(partnership_public_list().order_by("-published_at", "pk")[:6])
    return {
        "networks": Network.objects.all(),
        "newest": newest,
        "figures": _figures(),
        "charts": home_charts(language),
    }


def _figures() -> dict:
    """Counted from the public index: a partner kept private is not counted."""
    index = facet_index()
    return {
        "partnerships": len(index),
        "swedish": len(index.values("swedish_partner")),
        "partners": len(index.values("partner")),
    }


def count_by(values) -> list[tuple[str, int]]:
    return Counter(values).most_common()
