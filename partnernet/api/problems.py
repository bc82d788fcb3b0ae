"""Errors as RFC 9457 problem documents (`application/problem+json`), in the reader's language.

Exceptions raised by an operation are turned into problems by the handlers registered on the
NinjaAPI (`register_problem_handlers`); what answers before an operation runs, an address no
operation has (404) or a method it does not take (405), is turned into one by
`ApiProblemMiddleware`, so nothing under /api/v1/ answers with an HTML page or plain text.
A 401 names the scheme to authenticate with (`WWW-Authenticate: Bearer`, RFC 9110 11.6.1).
"""

import json
import logging

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from partnernet.accounts.permissions import AccessRefused
from partnernet.lib.languages import LANGUAGES
from partnernet.lib.outage import OUTAGE_ERRORS, RETRY_AFTER_SECONDS, describe

logger = logging.getLogger("partnernet.api")
PROBLEM_TYPE = "application/problem+json"
API_PREFIX = "/api/v1/"
WWW_AUTHENTICATE = 'Bearer realm="Partnernet API"'


class InvalidCursor(Exception):
    """A `cursor` parameter that cannot be used: `reason` is `malformed`, `other-filters` (made
    for another list) or `stale` (its item is no longer listed)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def request_language(request: HttpRequest) -> str:
    """`lang` in the query wins; otherwise what LocaleMiddleware chose from Accept-Language."""
    lang = request.GET.get("lang", "")
    if lang in LANGUAGES:
        return lang
    current = getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE
    return current if current in LANGUAGES else settings.LANGUAGE_CODE


def problem(
    request: HttpRequest, status: int, title: str, detail: str = "", **extra
) -> HttpResponse:
    """One problem document; `type` stays `about:blank` so `title` is the HTTP meaning."""
    body = {"type": "about:blank", "title": title, "status": status, "instance": request.path}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=f"{PROBLEM_TYPE}; charset=utf-8",
    )
    response["Content-Language"] = request_language(request)
    return response


def _errors(exc: NinjaValidationError) -> list[dict]:
    return [
        {
            "location": ".".join(str(part) for part in error.get("loc", ())),
            "message": error.get("msg", ""),
        }
        for error in exc.errors
    ]


def register_problem_handlers(api) -> None:
    """404, 422, 401, 403, 429, other HTTP errors and 500 all answer with a problem document."""

    def handle(exc_class, build):
        def handler(request, exc):
            with translation.override(request_language(request)):
                return build(request, exc)

        api.add_exception_handler(exc_class, handler)

    handle(Http404, lambda r, e: not_found(r))
    handle(ObjectDoesNotExist, lambda r, e: not_found(r))
    handle(AccessRefused, _refused)
    handle(
        PermissionDenied,
        lambda r, e: problem(r, 403, _("Forbidden"), _("You may not use this resource.")),
    )
    handle(
        NinjaValidationError,
        lambda r, e: problem(
            r,
            422,
            _("Invalid request"),
            _("Some parameters are not valid; see errors."),
            errors=_errors(e),
        ),
    )
    handle(InvalidCursor, _invalid_cursor)
    handle(AuthenticationError, lambda r, e: unauthorized(r))
    handle(
        AuthorizationError,
        lambda r, e: problem(r, 403, _("Forbidden"), _("You may not use this resource.")),
    )
    handle(Throttled, _throttled)
    handle(HttpError, lambda r, e: problem(r, e.status_code, str(e)))
    for outage in OUTAGE_ERRORS:
        handle(outage, _database_outage)
    handle(Exception, _server_error)


def unauthorized(request: HttpRequest) -> HttpResponse:
    response = problem(
        request,
        401,
        _("Authentication required"),
        _("Sign in, or send a personal API token as 'Authorization: Bearer <token>'."),
    )
    response["WWW-Authenticate"] = WWW_AUTHENTICATE
    return response


def not_found(request: HttpRequest) -> HttpResponse:
    return problem(request, 404, _("Not found"), _("Nothing is published at this address."))


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    response = problem(
        request,
        405,
        _("Method not allowed"),
        _("This address does not take %(method)s requests; it takes %(allowed)s.")
        % {"method": request.method, "allowed": allowed or "-"},
    )
    response["Allow"] = allowed
    return response


class ApiProblemMiddleware:
    """Under /api/v1/, a 404 or 405 that no operation produced (no route, wrong method) and a
    401 without a challenge become problem documents like every other API error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        is_problem = response.get("Content-Type", "").startswith(PROBLEM_TYPE)
        if response.status_code == 401 and "WWW-Authenticate" not in response:
            response["WWW-Authenticate"] = WWW_AUTHENTICATE
        if is_problem or response.status_code not in (404, 405):
            return response
        with translation.override(request_language(request)):
            if response.status_code == 404:
                return not_found(request)
            return method_not_allowed(request, response.get("Allow", ""))


def _refused(request, exc: AccessRefused) -> HttpResponse:
    """The permission layer's one refusal: hidden objects are 404, refused actions 403."""
    if exc.hidden:
        return not_found(request)
    return problem(request, 403, _("Forbidden"), _("You may not use this resource."))


def _invalid_cursor(request, exc: InvalidCursor) -> HttpResponse:
    details = {
        "malformed": _("The cursor cannot be read; use the next_cursor of a page as it is."),
        "other-filters": _("The cursor was made for other filters, order or language."),
        "stale": _("The item this cursor continues after is no longer listed."),
    }
    return problem(
        request,
        400,
        _("Invalid cursor"),
        details.get(exc.reason, details["malformed"]) + " " + _("Start again from page 1."),
        reason=exc.reason,
    )


def _throttled(request, exc: Throttled) -> HttpResponse:
    response = problem(
        request,
        429,
        _("Too many requests"),
        _("Slow down: the rate limit for this client has been reached."),
    )
    if exc.wait is not None:
        response["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    return response


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 while the database is unreachable: built from the request alone, no query."""
    with translation.override(request_language(request)):
        response = problem(
            request,
            503,
            _("Service unavailable"),
            _("The service is unavailable for a moment. Please try again in a minute."),
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _database_outage(request, exc: Exception) -> HttpResponse:
    logger.warning("database unavailable on %s: %s", request.path, describe(exc))
    response = service_unavailable(request)
    response._has_been_logged = True  # type: ignore[attr-defined]  # the line above says it
    return response


def _server_error(request, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s", request.path, exc_info=exc)
    return problem(
        request, 500, _("Server error"), _("Something went wrong on our side; it has been logged.")
    )
