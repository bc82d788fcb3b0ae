"""Security headers on every response (a strict CSP with a per-request nonce, and friends),
and the first gate for bad input: oversized bodies and control characters never reach a view."""

import re
import secrets

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError

from partnernet.core.errors import disallowed_host_response, error_response

CSP_TEMPLATE = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# C0 control characters except tab, newline and carriage return; NUL included.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CSP_TEMPLATE.format(nonce=request.csp_nonce)
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        response.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not settings.DEBUG:
            response.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def has_control_characters(values) -> bool:
    return any(CONTROL_CHARACTERS.search(value) for value in values)


class RequestHygieneMiddleware:
    """Answer 400 to a Host we do not serve, 413 to bodies over the limit and 400 to control
    characters in the address, the query or a form field: a clear, translated page instead of
    a 500 further down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.get_host()
        except DisallowedHost:
            return disallowed_host_response(request)
        limit = getattr(settings, "MAX_REQUEST_BODY_SIZE", 12 * 1024 * 1024)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(request, 400)
        if length > limit:
            return error_response(request, 413)
        if has_control_characters([request.path, request.META.get("QUERY_STRING", "")]):
            return error_response(request, 400)
        if request.GET and has_control_characters(v for vs in request.GET.lists() for v in vs[1]):
            return error_response(request, 400)
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                values = [v for _, vs in request.POST.lists() for v in vs]
            except (MultiPartParserError, UnreadablePostError, UnicodeDecodeError):
                return error_response(request, 400)
            if has_control_characters(values):
                return error_response(request, 400)
        return self.get_response(request)


FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class HeadAsGetMiddleware:
    """Every GET route answers HEAD (RFC 9110 9.3.2): the request runs as a GET, so GET-only
    views, django-ninja operations and the page caches treat both alike, and the body is
    dropped. The status and every header, Content-Length included, are those of the GET.
    First in MIDDLEWARE, so every other layer sees the GET."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        return without_body(response)


def without_body(response):
    if response.streaming:  # never run the generator: the same status and headers, no body
        head = HttpResponse(status=response.status_code, reason=response.reason_phrase)
        for header, value in response.items():
            head[header] = value
        head.cookies = response.cookies
        response.close()
        return head
    if not response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    response.content = b""
    return response
