"""The NinjaAPI instance of /api/v1: authentication, rate limits, ETags and the OpenAPI document.

Every operation is declared in `endpoints.py` (public reads) or `own.py` (a coordinator's own
partnerships); this module only holds what applies to all of them and mounts their routers.
Authentication lives in `auth.py`, which the routers import: nothing here is imported back.
"""

import hashlib
import threading

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.throttling import SimpleRateThrottle

from partnernet.lib.addresses import client_address

from . import endpoints, own
from .auth import valid_token
from .openapi import document_common_responses
from .problems import register_problem_handlers, request_language

DEFAULT_RATE = "600/min"


def _per_thread(name: str) -> property:
    """An attribute of the throttle object that each thread sees on its own."""

    def get(self):
        return getattr(self._state, name, None)

    def put(self, value) -> None:
        setattr(self._state, name, value)

    return property(get, put)


class ClientRateThrottle(SimpleRateThrottle):
    """ninja's sliding-window throttle, keyed per valid API token, else per client address.

    Only a token that exists and is active gets its own bucket: a made-up `Authorization`
    header counts against the address it comes from, so inventing tokens buys no fresh limit.
    The address is `partnernet.lib.addresses.client_address` (X-Forwarded-For only from a
    trusted proxy). The history lives in the cache, shared by every application server when
    CACHE_URL points at Redis. The rate is `settings.API_RATE_LIMIT`, read at every request.

    ninja keeps one throttle object per API and stores the request's key and history on it
    between `allow_request` and `wait`; gunicorn runs threads, so that state is kept per thread.
    """

    scope = "client"
    cache_format = "api-rate:%(ident)s"
    key, history, now = _per_thread("key"), _per_thread("history"), _per_thread("now")

    def __init__(self):  # the rate is read from the settings at every request
        self._state = threading.local()

    # ninja sets these three once in __init__; properties read the setting at every request.
    @property
    def rate(self) -> str:  # type: ignore[override]
        return getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE)

    @property
    def num_requests(self) -> int:  # type: ignore[override]
        return int(self.parse_rate(self.rate)[0] or 0)

    @property
    def duration(self) -> int:  # type: ignore[override]
        return int(self.parse_rate(self.rate)[1] or 0)

    def get_cache_key(self, request: HttpRequest) -> str:
        token = valid_token(request)
        ident = f"t:{token.pk}" if token is not None else "ip:" + client_address(request)
        return self.cache_format % {"ident": ident}


class PartnernetAPI(NinjaAPI):
    """NinjaAPI with strong ETags and conditional GET, the language header and a complete
    OpenAPI 3.1 document (error responses, headers) for every operation."""

    def create_response(
        self, request, data, *, status=None, temporal_response=None
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        response["Content-Language"] = request_language(request)
        response["Vary"] = "Accept-Language, Authorization, Cookie"
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            return conditional(request, response)
        return response

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_common_responses(schema)


def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Strong ETag of the body (unless the operation set its own, as a resource that takes
    If-Match does); `If-None-Match` with that tag (or `*`) answers 304 without it."""
    tag = (
        response.get("ETag")
        or '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
    )
    response["ETag"] = tag
    wanted = [
        t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")
    ]
    if tag in wanted or "*" in wanted:
        not_modified = HttpResponse(status=304)
        for header in ("ETag", "Content-Language", "Vary", "Cache-Control"):
            if header in response:
                not_modified[header] = response[header]
        return not_modified
    return response


api = PartnernetAPI(
    title="Partnernet API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "Open data about municipal partnerships between Sweden and Ukraine (ICLD's network for "
        "democratic resilience). Public reads need no key. Content language: the `lang` "
        "parameter (sv, uk, en) or the Accept-Language header. Errors are RFC 9457 problem "
        "documents, unknown addresses and methods included. Lists are paged (`page`, "
        "`page_size`) with totals and a stable order. Responses carry an ETag; send it back in "
        "If-None-Match to get 304. Rate limit per valid token, else per client address: 429 "
        "with Retry-After. Content: CC BY 4.0; registry data: see /open-data/."
    ),
    throttle=[ClientRateThrottle()],
)
register_problem_handlers(api)
api.add_router("/", endpoints.router)
api.add_router("/me", own.router)
