"""Who is calling /api/v1: a personal bearer token or the browser session. The routers
(`endpoints.py`, `own.py`) and the API instance (`api.py`, for the rate limit) import this."""

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from partnernet.accounts.permissions import mark_unverified

from .selectors import api_token_for_raw
from .services import api_token_touch


class TokenAuth(HttpBearer):
    """`Authorization: Bearer pn_…`: a personal token created on /api/tokens/."""

    openapi_description = "A personal API token created on /api/tokens/ (shown once)."

    def authenticate(self, request: HttpRequest, token: str):
        api_token = valid_token(request)
        if api_token is None:
            return None
        api_token_touch(token=api_token)
        # A token is not a second factor: no staff power works through it.
        request.user = mark_unverified(api_token.user)
        return request.user


def valid_token(request: HttpRequest):
    """The active API token of the request's `Authorization: Bearer` header, or None; looked up
    once per request (authentication and the rate limit both ask)."""
    cached = vars(request)
    if "_pn_api_token" not in cached:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, raw = header.partition(" ")
        found = api_token_for_raw(raw=raw.strip()) if scheme.lower() == "bearer" else None
        cached["_pn_api_token"] = found
    return cached["_pn_api_token"]


class SessionUserAuth(SessionAuth):
    """The signed-in person's session (the browser); unsafe methods need the CSRF token."""
