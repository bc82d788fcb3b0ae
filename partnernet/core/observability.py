"""Observability: a request id on every request and its log lines, an access log line per
request, the counts behind `/metrics`, and the optional error reporter.

- The request id is the incoming `X-Request-ID` only when a trusted proxy (`TRUSTED_PROXIES`)
  sent it and it is a safe token (`lib.requestlog.safe_request_id`); otherwise one is made. It
  is returned as the `X-Request-ID` header, is on every log line of the request (a context
  variable and `lib.requestlog.ContextFilter`) and goes with the jobs the request asks for.
- Log lines name the person by their id and the route by its name: never an e-mail, a name, a
  path with its query string or a form's value.
- `/metrics` answers only with `METRICS_TOKEN` set and `Authorization: Bearer <token>` given.
- An unhandled error, new since the jobs were last cleaned up (a week), is reported once to
  `ERROR_REPORT_EMAIL` and/or `ERROR_REPORT_URL` through the job queue: its class, its stack,
  the request id, the method and the route, never the body, the cookies or the query string.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import sys
import time

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.signals import got_request_exception
from django.http import Http404, HttpResponse
from django.utils.functional import SimpleLazyObject, empty
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from partnernet.accounts.permissions import public
from partnernet.jobs.models import Job
from partnernet.jobs.services import job_enqueue, jobs_waiting
from partnernet.lib import addresses, metrics, requestlog

logger = logging.getLogger(__name__)
access_logger = logging.getLogger("partnernet.access")

HEADER = "X-Request-ID"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REPORT_JOB = "core.report_error"
CHANNELS = {"email": "ERROR_REPORT_EMAIL", "url": "ERROR_REPORT_URL"}
BROKER_TIMEOUT = 0.5  # seconds for the broker's queue length on a scrape

JOBS_WAITING = metrics.Metric(
    "partnernet_jobs_waiting", "gauge", "Background jobs waiting in the outbox (pending)"
)
BROKER_QUEUE = metrics.Metric(
    "partnernet_broker_queue_length", "gauge", "Messages waiting in the broker's queue"
)


def request_id_for(request) -> str:
    """The incoming id when a trusted proxy passed a safe one; else a new one."""
    incoming = requestlog.safe_request_id(request.META.get("HTTP_X_REQUEST_ID"))
    if incoming and _from_trusted_proxy(request):
        return incoming
    return requestlog.new_request_id()


def _from_trusted_proxy(request) -> bool:
    trusted = tuple(getattr(settings, "TRUSTED_PROXIES", ()))
    if not trusted:
        return False
    peer = addresses.parse_address(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return addresses.UNIX_SOCKET in trusted
    networks = addresses.parse_networks(tuple(e for e in trusted if e != addresses.UNIX_SOCKET))
    return addresses.is_trusted(peer, networks)


def route_of(request) -> str:
    """The route's name (`catalogue:partnership`), its pattern when it has no name, or
    `unmatched`: never the path, which may hold keys, nor the query string."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match.route or "unmatched"


def kind_of(request, route: str) -> str:
    """The kind of a request, for the latency histogram (a handful of values)."""
    if route.startswith("api-v1:"):
        return "api"
    if route in ("healthz", "metrics"):
        return "probe"
    if route == "unmatched":
        return "static" if request.path.startswith(settings.STATIC_URL) else "unmatched"
    if route.startswith("opendata:"):
        return "open_data"
    return "page" if request.method in SAFE_METHODS else "write"


def person_of(request) -> int | None:
    """The signed-in person's id, without a query when the user was not loaded yet."""
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        session = getattr(request, "session", None)
        raw = session.get("_auth_user_id") if session is not None else None
        return int(raw) if raw and str(raw).isdigit() else None
    return user.pk if getattr(user, "is_authenticated", False) else None


class RequestObservabilityMiddleware:
    """First in MIDDLEWARE: it sees every request and every response, 500s included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request_id = request_id_for(request)
        request.request_id = request_id
        method = request.method if request.method in METHODS else "OTHER"
        with requestlog.context(request_id=request_id, method=method):
            response = self.get_response(request)
            route = route_of(request)
            person = person_of(request)
            requestlog.bind(route=route, person=person)
            seconds = time.perf_counter() - started
            response[HEADER] = request_id
            metrics.count_request(
                method=method,
                route=route,
                status=response.status_code,
                kind=kind_of(request, route),
                seconds=seconds,
            )
            access_logger.info(
                "%s %s %s %.1fms",
                method,
                route,
                response.status_code,
                seconds * 1000,
                extra={"status": response.status_code, "duration_ms": round(seconds * 1000, 1)},
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Once the URL is resolved and the person known, lines logged by the view say so."""
        requestlog.bind(route=route_of(request), person=person_of(request))


# /metrics -------------------------------------------------------------------------------------
def _bearer(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def broker_queue_length() -> int | None:
    """LLEN of the Celery queue in a Redis broker; None without one or when it does not answer."""
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
    client = redis.Redis.from_url(
        url, socket_timeout=BROKER_TIMEOUT, socket_connect_timeout=BROKER_TIMEOUT
    )
    try:
        return int(client.llen(queue))
    except (redis.RedisError, OSError):
        return None
    finally:
        client.close()


def gauges() -> list[tuple[metrics.Metric, dict, float]]:
    measured: list[tuple[metrics.Metric, dict, float]] = [(JOBS_WAITING, {}, jobs_waiting())]
    length = broker_queue_length()
    if length is not None:
        measured.append((BROKER_QUEUE, {"queue": "celery"}, length))
    return measured


@public  # to the permission matrix anyone may ask; the token is checked here
@require_safe
@never_cache
def metrics_view(request):
    expected = getattr(settings, "METRICS_TOKEN", "") or ""
    if not expected:
        raise Http404("metrics are not switched on")
    given = _bearer(request)
    if given is None:
        response = HttpResponse("a bearer token is needed\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return HttpResponse("wrong token\n", status=403, content_type="text/plain")
    return HttpResponse(metrics.exposition(gauges()), content_type=metrics.CONTENT_TYPE)


# The error reporter ---------------------------------------------------------------------------
def reporting_configured() -> bool:
    return any(getattr(settings, name, "") for name in CHANNELS.values())


def error_report(request, error: BaseException) -> dict:
    """What a report says: nothing from the request but its id, method and route."""
    stack = requestlog.stack_of(error)
    fingerprint = hashlib.sha256("\n".join([type(error).__name__, *stack]).encode()).hexdigest()[
        :32
    ]
    return {
        "exception": f"{type(error).__module__}.{type(error).__qualname__}",
        "stack": stack,
        "request_id": getattr(request, "request_id", None) or requestlog.current_request_id(),
        "method": request.method if request.method in METHODS else "OTHER",
        "route": route_of(request),
        "fingerprint": fingerprint,
    }


def _is_new(fingerprint: str) -> bool:
    if not cache.add(f"error-report:{fingerprint}", 1, timeout=60 * 60):
        return False
    return not Job.objects.filter(name=REPORT_JOB, arguments__fingerprint=fingerprint).exists()


def report_unhandled_error(sender, request=None, **kwargs) -> None:
    """`got_request_exception`: a new error becomes a job; nothing here may fail the answer."""
    error = sys.exc_info()[1]
    if request is None or error is None or not reporting_configured():
        return
    try:
        report = error_report(request, error)
        if _is_new(report["fingerprint"]):
            # One job per channel: a webhook that is down is retried without a second e-mail.
            for channel in CHANNELS:
                if getattr(settings, CHANNELS[channel], ""):
                    job_enqueue(name=REPORT_JOB, arguments={**report, "channel": channel})
    except Exception:
        logger.warning("observability: the error could not be reported", exc_info=True)


def connect() -> None:
    got_request_exception.connect(report_unhandled_error, dispatch_uid="partnernet-error-report")
