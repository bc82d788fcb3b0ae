"""Errors as RFC 7807 problem documents (`application/problem+json`), in the reader's language."""

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

logger = logging.getLogger("partnernet.api")
PROBLEM_TYPE = "application/problem+json"
LANGUAGES = ("sv", "uk", "en")


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

    handle(
        Http404,
        lambda r, e: problem(r, 404, _("Not found"), _("Nothing is published at this address.")),
    )
    handle(
        ObjectDoesNotExist,
        lambda r, e: problem(r, 404, _("Not found"), _("Nothing is published at this address.")),
    )
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
    handle(
        AuthenticationError,
        lambda r, e: problem(
            r,
            401,
            _("Authentication required"),
            _("Sign in, or send a personal API token as 'Authorization: Bearer <token>'."),
        ),
    )
    handle(
        AuthorizationError,
        lambda r, e: problem(r, 403, _("Forbidden"), _("You may not use this resource.")),
    )
    handle(Throttled, _throttled)
    handle(HttpError, lambda r, e: problem(r, e.status_code, str(e)))
    handle(Exception, _server_error)


def _refused(request, exc: AccessRefused) -> HttpResponse:
    """The permission layer's one refusal: hidden objects are 404, refused actions 403."""
    if exc.hidden:
        return problem(request, 404, _("Not found"), _("Nothing is published at this address."))
    return problem(request, 403, _("Forbidden"), _("You may not use this resource."))


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


def _server_error(request, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s", request.path, exc_info=exc)
    return problem(
        request, 500, _("Server error"), _("Something went wrong on our side; it has been logged.")
    )
