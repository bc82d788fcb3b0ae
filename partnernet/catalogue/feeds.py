"""Atom feed of newly published partnerships, per language; and the sitemap with hreflang."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemaps_views
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from partnernet.accounts.permissions import public
from partnernet.lib.languages import best_text
from partnernet.partnerships.selectors import (
    network_public_list,
    partnership_public_list,
    partnerships_public,
)

from .conditional import catalogue_conditional

FEED_SIZE = 50


@public
@require_GET
@catalogue_conditional
def partnerships_feed(request):
    language = get_language() or "sv"
    feed = Atom1Feed(
        title=_("New partnerships") + " · Partnernet",
        link=request.build_absolute_uri("../partnerships/"),
        description=_("Partnerships newly published in the catalogue."),
        language=language,
    )
    newest = partnership_public_list().order_by("-published_at", "pk")[:FEED_SIZE]
    for p in partnerships_public(newest):
        summary = best_text(p, "summary", language)[0]
        feed.add_item(
            title=best_text(p, "title", language)[0],
            link=request.build_absolute_uri(p.get_absolute_url()),
            description=summary,
            unique_id=request.build_absolute_uri(p.get_absolute_url()),
            pubdate=p.published_at,
            updateddate=p.published_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


class PagesSitemap(Sitemap):
    """The catalogue's own pages and the site's fixed pages, in every language."""

    i18n, alternates, x_default = True, True, True

    def items(self) -> list[str]:
        # Pages whose content is fixed or not watched by the data version (the calls' list
        # changes without bumping it, so single calls are left out of this cached sitemap).
        return [
            "catalogue:home",
            "catalogue:partnerships",
            "catalogue:map",
            "calls:list",
            "site:accessibility",
            "site:privacy",
            "site:contact",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class NetworkSitemap(Sitemap):
    i18n, alternates, x_default = True, True, True

    def items(self):
        return list(network_public_list().order_by("slug"))


class PartnershipSitemap(Sitemap):
    """Published partnerships at their PUBLIC addresses: read through the public projection, so
    a partnership whose partner is private is listed at its partner-free address."""

    i18n, alternates, x_default = True, True, True

    def items(self):
        return partnerships_public(partnership_public_list().prefetch_related(None).order_by("pk"))


SITEMAPS: dict[str, type[Sitemap] | Sitemap] = {
    "pages": PagesSitemap,
    "networks": NetworkSitemap,
    "partnerships": PartnershipSitemap,
}


@public
@require_GET
@catalogue_conditional
def sitemap(request):
    """Every public page in every language, each with its hreflang alternates
    (`django.contrib.sitemaps`)."""
    return sitemaps_views.sitemap(request, sitemaps=SITEMAPS)
