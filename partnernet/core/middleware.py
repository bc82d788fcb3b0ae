"""Security headers on every response (a strict CSP with a per-request nonce, and friends),
and the first gate for bad input: oversized bodies and control characters never reach a view."""

import re
import secrets

from django.conf import settings
from django.http import UnreadablePostError
from django.http.multipartparser import MultiPartParserError

from partnernet.core.errors import error_response

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
    """Answer 413 to bodies over the limit and 400 to control characters in the address,
    the query or a form field: a clear, translated page instead of a 500 further down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
