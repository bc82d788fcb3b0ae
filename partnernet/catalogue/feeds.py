"""Atom feed of newly published partnerships, per language; and the sitemap with hreflang."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import translate_url
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from partnernet.accounts.permissions import public
from partnernet.lib.languages import best_text
from partnernet.partnerships.models import Network
from partnernet.partnerships.selectors import partnership_public_list, partnerships_public

FEED_SIZE = 50


@public
@require_GET
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


@public
@require_GET
def sitemap(request):
    """Every public page in every language, each with its hreflang alternates."""
    paths = ["/sv/", "/sv/partnerships/", "/sv/map/"]
    paths += [f"/sv/networks/{slug}/" for slug in Network.objects.values_list("slug", flat=True)]
    public_list = partnership_public_list().prefetch_related(None).order_by("pk")
    paths += [f"/sv/partnerships/{p.slug}/" for p in partnerships_public(public_list)]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for path in paths:
        variants = {
            code: request.build_absolute_uri(translate_url(path, code))
            for code, _name in settings.LANGUAGES
        }
        for url in variants.values():
            lines.append(f"<url><loc>{escape(url)}</loc>")
            lines += [
                f'<xhtml:link rel="alternate" hreflang="{code}" href="{escape(alt)}"/>'
                for code, alt in variants.items()
            ]
            lines.append("</url>")
    lines.append("</urlset>")
    return HttpResponse("\n".join(lines), content_type="application/xml; charset=utf-8")
