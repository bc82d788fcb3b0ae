"""Error pages: every 4xx/5xx is a translated page in the site's layout, never a stack trace.

Wired in `partnernet/urls.py` (handler400/403/404/500) and `CSRF_FAILURE_VIEW`; the request
hygiene middleware uses `error_response` for 400 and 413.

A database outage is the one place a 500 becomes a 503 (`server_error`): Django calls handler500
for an exception raised anywhere in the middleware or a view (sessions and authentication, which
reach the database first, included), and the exception being handled is the outage. The page
is drawn without the database (no context processors: not the person, not their unread count),
in the language of the address; under /api/v1/ it is a problem document.
"""

import logging
import sys

from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from partnernet.accounts.permissions import public
from partnernet.api.problems import API_PREFIX, service_unavailable
from partnernet.lib.outage import RETRY_AFTER_SECONDS, describe, is_database_outage

logger = logging.getLogger("partnernet.outage")

MESSAGES = {
    400: (_("Bad request"), _("We could not read what was sent. Check the form and try again.")),
    403: (_("Access denied"), _("You do not have permission to see this page.")),
    404: (_("Page not found"), _("There is no page at this address.")),
    413: (_("Too large"), _("What was sent is larger than we accept. Send a smaller file.")),
    500: (_("Something went wrong"), _("The error has been logged. Please try again later.")),
    503: (
        _("Service unavailable"),
        _("The service is unavailable for a moment. Please try again in a minute."),
    ),
}
# Pages drawn without the request's context (no context processors, no database): 5xx.
BARE_STATUSES = {500, 503}
CSRF_MESSAGE = _(
    "Your form had expired or came from another site. Go back, reload the page and send it again."
)
HOST_MESSAGE = _("This site is not served at the address you asked for. Check the address.")


def error_response(request, status: int, message=None) -> HttpResponse:
    # Called before LocaleMiddleware too (request hygiene): pick the language here, unless the
    # request's language is decided already (a signed-in person's preferred language included).
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(
        request, check_path=True
    )
    with translation.override(language):
        return _render(request, status, message)


def host_is_allowed(request) -> bool:
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


def _render(request, status: int, message) -> HttpResponse:
    title, default = MESSAGES[status]
    context = {"status": status, "title": title, "message": message or default}
    # The full layout builds links from the request's host: not for a host we do not serve.
    bare = status in BARE_STATUSES or not host_is_allowed(request)
    template = "500.html" if bare else "error.html"
    html = loader.render_to_string(template, context, None if bare else request)
    return HttpResponse(html, status=status)


def disallowed_host_response(request) -> HttpResponse:
    """400 for a Host header not in ALLOWED_HOSTS: a plain translated page, logged by no one
    (scanners send thousands; Django's security logger is silenced for them in settings)."""
    response = error_response(request, 400, HOST_MESSAGE)
    # django.utils.log.log_response: no "Bad Request" line
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


@public
def bad_request(request, exception=None):
    if isinstance(exception, DisallowedHost):
        return disallowed_host_response(request)
    return error_response(request, 400)


@public
def permission_denied(request, exception=None):
    return error_response(request, 403)


@public
def page_not_found(request, exception=None):
    return error_response(request, 404)


def unavailable_response(request) -> HttpResponse:
    """503 "try again in a minute" while the database is unreachable, with Retry-After; built
    from the request alone (its address, cookies and headers), never from the database."""
    if request.path.startswith(API_PREFIX):
        response = service_unavailable(request)
    else:
        response = error_response(request, 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
    return response


@public
def server_error(request):
    error = sys.exc_info()[1]
    if error is not None and is_database_outage(error):
        logger.warning("database unavailable on %s: %s", request.path, describe(error))
        response = unavailable_response(request)
        # One line above per request, not Django's traceback for each while the outage lasts.
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response
    return error_response(request, 500)


@public
def csrf_failure(request, reason=""):
    return error_response(request, 403, CSRF_MESSAGE)
