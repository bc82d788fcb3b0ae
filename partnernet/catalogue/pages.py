"""What the public pages show, prepared from selectors as plain values, and the page cache."""

import hashlib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partnernet.events.selectors import events_public_upcoming
from partnernet.lib.languages import best_text
from partnernet.matchmaking.selectors import queue_waiting_counts
from partnernet.partnerships.models import Network, Partnership
from partnernet.partnerships.projection import PublicPartnership
from partnernet.partnerships.selectors import partnership_public_list, partnerships_public
from partnernet.workspace.selectors import public_activities_done_count

from . import search
from .charts import home_charts
from .facets import facet_index
from .filters import MULTI, SORTS, CatalogueQuery
from .plan import QueryPlan
from .selectors import catalogue_search, catalogue_version

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


def cached_page(request, render_page) -> HttpResponse:
    """Anonymous catalogue pages are kept per data version, language and address, so a
    repeated page costs one primary-key read; any write to what the page shows (bulk updates
    and raw SQL included, through the version triggers) starts afresh."""
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
    body = cache.get(key)
    if body is None:
        response = render_page(request)
        if response.status_code == 200:
            cache.set(key, response.content, PAGE_CACHE_SECONDS)
        return response
    response = HttpResponse(body)
    patch_vary_headers(response, ["HX-Request"])
    return response


def cached_parts(request, name: str, compute, seconds: int = PAGE_CACHE_SECONDS) -> dict:
    """The costly, person-independent parts of a public page (plain values and rendered HTML
    of public data: `compute()`), kept per data version, language and address like
    `cached_page`, for every visitor, signed in or not: the rest of the page is rendered anew.
    The map's 2 000 partnerships are read and rendered once per data version, not per view."""
    request.catalogue_version = getattr(request, "catalogue_version", None) or catalogue_version()
    parts = (name, request.catalogue_version, get_language(), request.get_full_path())
    key = "catalogue-parts:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found


def wants_fragment(request) -> bool:
    """htmx swaps the results in place; a history restore (back button) needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def ranked_ids(
    query: CatalogueQuery, version: tuple | None = None, *, plan: QueryPlan | None = None
) -> list[int] | None:
    return catalogue_search(query, version=version, plan=plan)


def in_order(ids) -> list[PublicPartnership]:
    """The public projections of the published partnerships of `ids`, fetched in one go, in
    the order of `ids`.

    Pages first find their ids with a narrow query, then read the wide rows only for those."""
    ids = list(ids)
    found = partnership_public_list().in_bulk(ids)
    return partnerships_public(found[pk] for pk in ids if pk in found)


def as_set(ranked: list[int] | None) -> set[int] | None:
    return None if ranked is None else set(ranked)


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


def facet_groups(facets: dict) -> list[tuple[str, str, list]]:
    return [(name, str(FACET_LEGENDS[name]), facets[name]) for name in MULTI if facets.get(name)]


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


def network_context(network: Network) -> dict:
    rows = partnership_public_list().filter(network=network).order_by("pk")
    partnerships = sorted(partnerships_public(rows), key=lambda p: str(p.title).casefold())
    return {
        "network": network,
        "partnerships": partnerships,
        "key_figures": network_key_figures(partnerships),
        "meetings": events_public_upcoming(network=network),
        "waiting": queue_waiting(network),
    }


def network_key_figures(publics: list[PublicPartnership]) -> dict[str, object]:
    """The network's public key figures, from public data only: its published partnerships
    (through the public projection, so an amount a partnership keeps private adds nothing),
    the money granted to them, and their done activities the public may read."""
    amounts = [p.granted_amount for p in publics if p.granted_amount is not None]
    return {
        "partnerships": len(publics),
        "granted": sum(amounts, Decimal(0)),
        "activities_done": public_activities_done_count(publics) if publics else 0,
    }


def queue_waiting(network: Network) -> list[tuple[str, int]]:
    """(country code, municipalities waiting) for Sweden and Ukraine, then any other country
    with a government waiting."""
    counts = queue_waiting_counts(network=network)
    others = sorted(code for code, count in counts.items() if count and code not in ("SE", "UA"))
    return [(code, counts.get(code, 0)) for code in ("SE", "UA", *others)]


def map_data(partnerships) -> dict:
    """Municipalities (with their number of partnerships in the set) and the pairs joining them."""
    points: dict[str, dict] = {}
    lines = []
    for p in partnerships:
        for m in (p.swedish_partner, p.partner):
            if m is None or m.latitude is None or m.longitude is None:
                continue
            point = points.setdefault(
                m.code,
                {
                    "code": m.code,
                    "name": m.name,
                    "n": 0,
                    "lat": round(m.latitude, 3),
                    "lon": round(m.longitude, 3),
                    "url": m.get_absolute_url(),
                },
            )
            point["n"] += 1
        if p.partner is not None and {p.swedish_partner.code, p.partner.code} <= set(points):
            lines.append(
                {
                    "a": p.swedish_partner.code,
                    "b": p.partner.code,
                    "title": str(p.title),
                    "url": p.get_absolute_url(),
                }
            )
    return {"points": list(points.values()), "lines": lines}


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
        "partnerships": len(index.ids),
        "swedish": len(index.sets["swedish_partner"]),
        "partners": len(index.sets["partner"]),
    }


def count_by(values) -> list[tuple[str, int]]:
    return Counter(values).most_common()
