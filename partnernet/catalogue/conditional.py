"""Conditional GET for what the public reads (pages, feed, sitemap, open-data downloads).

Django's own `condition` decorator does the HTTP part (If-None-Match, 304, ETag header, HEAD);
this module only says what the validator is: a weak ETag of the catalogue data version
(`catalogue_version()`, bumped by database triggers on every write to what the catalogue shows),
the language, the release, the day (a page may say "upcoming") and whether htmx asked for a
fragment. Working it out is one primary-key read, so a 304 costs one query and no rendering.

Weak (`W/"…"`): the bodies at one version are equivalent, not byte-identical. Signed-in people
and requests with pending messages get no validator (their pages carry personal parts), so
they are always answered in full.
"""

import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import condition

from .pages import map_key
from .selectors import catalogue_version


def catalogue_etag(request, *args, **kwargs) -> str | None:
    """The validator of an anonymous answer built from catalogue data only, or None."""
    user = getattr(request, "user", None)
    if (user is not None and user.is_authenticated) or get_messages(request):
        return None
    fragment = bool(getattr(request, "htmx", False)) and not request.htmx.history_restore_request
    request.catalogue_version = version = catalogue_version()  # read once per request
    parts = (
        version[2],
        get_language() or "",
        settings.VERSION,
        timezone.localdate().isoformat(),
        fragment,
    )
    return 'W/"' + hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest() + '"'


# `@catalogue_conditional` on a view: 304 when If-None-Match holds the current validator.
catalogue_conditional = condition(etag_func=catalogue_etag)


def map_etag(request, *args, **kwargs) -> str:
    """A strong validator of the map's GeoJSON: its bytes are a function of the data version,
    the language, the filters and the release only (public data, the same for every reader)."""
    request.catalogue_version = version = catalogue_version()
    parts = (map_key(request, version[2]), settings.VERSION)
    return '"' + hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest() + '"'


# `@map_conditional` on the GeoJSON view: 304 when If-None-Match holds the current validator.
map_conditional = condition(etag_func=map_etag)
