import os
import threading

import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from partnernet.accounts.permissions import authenticated, public
from partnernet.lib.languages import LANGUAGES
from partnernet.lib.outage import RETRY_AFTER_SECONDS

from .start import start_page_for

HEALTH_DATABASE = DEFAULT_DB_ALIAS


def database_is_up(using: str = DEFAULT_DB_ALIAS) -> bool:
    """The database answers AND holds our schema: a row of Django's migration table is read,
    so an empty database (a lost SQLite file, which SQLite would silently create anew, or a
    PostgreSQL database that was never migrated) is down, not "ok"."""
    connection = connections[using]
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor == "sqlite" and not _in_memory(name) and not os.path.exists(name):
        connection.close()  # an open handle would still read the deleted file
        return False
    table = connection.ops.quote_name(MigrationRecorder.Migration._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608  (a model's table)
            return cursor.fetchone() is not None
    except DatabaseError:
        return False


def _in_memory(name: str) -> bool:
    return name == ":memory:" or "mode=memory" in name


# Redis is asked with short timeouts of its own, whatever the cache's client is configured with,
# so /healthz answers within about 2 s (PostgreSQL's connect_timeout) even when Redis hangs.
REDIS_TIMEOUT_SECONDS = 0.5
# One client (and so one connection pool) per Redis and process, made under a lock: two health
# checks at once on a threaded worker must not each make one and leak the other's pool.
_redis_clients: dict[str, redis.Redis] = {}
_redis_clients_lock = threading.Lock()


def _redis_client(url: str) -> redis.Redis:
    with _redis_clients_lock:
        client = _redis_clients.get(url)
        if client is None:
            client = _redis_clients[url] = redis.Redis.from_url(
                url,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
            )
        return client


def redis_is_up(url: str) -> bool:
    """Whether the Redis at `url` answers a PING within the short timeouts."""
    client = _redis_client(url)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False


def _redis_url(url: str) -> str:
    return url if url.startswith(("redis://", "rediss://", "unix://")) else ""


def service_states() -> dict[str, str]:
    """ "ok" or "unavailable" for the database, and for the shared cache and the broker when
    they are configured (a per-process cache or no broker has nothing to ask)."""
    states = {"database": "ok" if database_is_up(HEALTH_DATABASE) else "unavailable"}
    uses_redis_cache = settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    for part, url in (
        ("cache", _redis_url(settings.CACHE_URL) if uses_redis_cache else ""),
        ("broker", _redis_url(settings.CELERY_BROKER_URL)),
    ):
        if url:
            states[part] = "ok" if redis_is_up(url) else "unavailable"
    return states


@public
@require_safe
def healthz(request):
    """200 "ok"; 200 "degraded" when only the cache or the broker is down (pages still serve,
    background work waits); 503 "unavailable" when the database is down. The body names the
    part that is down."""
    states = service_states()
    if states["database"] != "ok":
        status = "unavailable"
    elif any(state != "ok" for state in states.values()):
        status = "degraded"
    else:
        status = "ok"
    body = {"status": status, **states, "version": settings.VERSION}
    response = JsonResponse(body, status=503 if status == "unavailable" else 200)
    response["Cache-Control"] = "no-store"
    if status == "unavailable":
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@authenticated
def start_page(request):
    """What waits for the signed-in person, their partnerships and their queue place."""
    page = start_page_for(user=request.user)
    return render(request, "core/start.html", {"page": page})


# The pages a public-sector site must have (issue 12.9). Their long texts are written out per
# language (`core/templates/site/<page>.<lang>.html`, real Swedish, Ukrainian and English),
# since they are legal prose read as a whole; headings around them come from gettext.
SITE_PAGES = ("accessibility", "privacy", "contact")
STATEMENT_DATE = "2026-12-01"  # when the accessibility statement was last reviewed


def _site_page(request, page: str):
    language = get_language() or "sv"
    if language not in LANGUAGES:
        language = "sv"
    context = {
        "page": page,
        "body": f"site/{page}.{language}.html",
        "contact_email": settings.CONTACT_EMAIL,
        "statement_date": STATEMENT_DATE,
    }
    return render(request, "site/page.html", context)


@public
@require_safe
def accessibility(request):
    return _site_page(request, "accessibility")


@public
@require_safe
def privacy(request):
    return _site_page(request, "privacy")


@public
@require_safe
def contact(request):
    return _site_page(request, "contact")
