"""Partnernet settings: read only from environment variables, with safe defaults for `make demo`.

Every value comes through a typed reader below; `partnernet.core.checks` refuses unsafe
production configuration (DEBUG=0 with a weak SECRET_KEY or no ALLOWED_HOSTS).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from partnernet.jobs.schedule import beat_schedule
from partnernet.lib import languages

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("PARTNERNET_VAR_DIR", PROJECT_DIR / "var"))
DEMO_SECRET_KEY = "insecure-demo-key-only-for-make-demo-and-tests"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "")
    return [item.strip() for item in raw.split(",") if item.strip()] or default


# Concurrent writers wait for each other instead of failing with "database is locked": every
# transaction takes the write lock when it begins (BEGIN IMMEDIATE, so a transaction that read
# first never has to upgrade its lock, which SQLite refuses at once under WAL), and a writer
# waits up to `timeout` seconds for the lock (the busy timeout). WAL lets readers go on meanwhile.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL;",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}


# PostgreSQL when it stumbles (issue 15): a connection attempt gives up after 2 s (the page
# then answers 503 instead of hanging a worker), and no statement of a web request runs longer
# than DATABASE_STATEMENT_TIMEOUT_MS (0: no limit). The `partnernet` command runs its commands
# (migrate, backup, the worker, ...) without that limit unless told otherwise (`__main__.py`).
CONNECT_TIMEOUT_SECONDS = 2


def postgres_options(from_url: dict[str, str]) -> dict[str, str]:
    """libpq options: the timeouts above, then what the URL's query string says (it wins)."""
    options = {"connect_timeout": str(CONNECT_TIMEOUT_SECONDS)}
    timeout = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 30_000)
    if timeout > 0:
        options["options"] = f"-c statement_timeout={timeout}"
    given = dict(from_url)
    if "options" in given and "options" in options:
        options["options"] = f"{options['options']} {given.pop('options')}"
    return options | given


def parse_database_url(url: str) -> dict:
    """Turn `postgres://user:pw@host:port/name` or `sqlite:///path` into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/path, sqlite:////absolute/path, sqlite:///:memory:
        path = unquote(parsed.netloc + parsed.path)
        name = ":memory:" if path in ("", "/", "/:memory:") else path[1:]
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": SQLITE_OPTIONS.copy(),
            "TEST": {"NAME": ":memory:"},
        }
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        options = postgres_options({k: v[-1] for k, v in parse_qs(parsed.query).items()})
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "partnernet",
            "USER": unquote(parsed.username or "postgres"),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ValueError(f"DATABASE_URL scheme {parsed.scheme!r} is not supported")


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", DEMO_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
TIME_ZONE = env_str("TIME_ZONE", "Europe/Stockholm")
VERSION = "0.1.0"

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'partnernet.sqlite3'}")
DATABASES = {"default": parse_database_url(DATABASE_URL)}
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "modeltranslation",
    "partnernet.accounts.admin_site.PartnernetAdminConfig",  # the admin site demands two-factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "partnernet.core",
    "partnernet.jobs",
    "partnernet.accounts",
    "partnernet.audit",
    "partnernet.municipalities",
    "partnernet.partnerships",
    "partnernet.catalogue",
    "partnernet.matchmaking",
    "partnernet.grants",
    "partnernet.notifications",
    "partnernet.documents",
    "partnernet.workspace",
    "partnernet.reports",
    "partnernet.conversations",
    "partnernet.events",
    "partnernet.api",
    "partnernet.opendata",
]

MIDDLEWARE = [
    # first: the request id, the access log line and the counts of /metrics, for every answer
    "partnernet.core.observability.RequestObservabilityMiddleware",
    "partnernet.core.middleware.HeadAsGetMiddleware",  # every GET route answers HEAD
    "django.middleware.security.SecurityMiddleware",
    "partnernet.core.middleware.SecurityHeadersMiddleware",
    "partnernet.core.middleware.RequestHygieneMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "partnernet.api.problems.ApiProblemMiddleware",  # /api/v1/ 404 and 405 as problem+json
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "partnernet.accounts.middleware.PreferredLanguageMiddleware",  # unprefixed pages
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "partnernet.accounts.middleware.AccountSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "partnernet.urls"
WSGI_APPLICATION = "partnernet.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
# Accounts and security (issue 4): one-time links, session limits, sign-in lock-out, errors.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, `unix` for a proxy on
# a Unix socket); `partnernet.lib.addresses.client_address` is the one reader.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_ABSOLUTE_TIMEOUT = 12 * 60 * 60
CSRF_FAILURE_VIEW = "partnernet.core.errors.csrf_failure"
# The largest document a partnership may upload (bytes); a request body may carry one.
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 25 * 1024 * 1024)
MAX_REQUEST_BODY_SIZE = max(12 * 1024 * 1024, DOCUMENT_MAX_BYTES + 1024 * 1024)
OTP_TOTP_ISSUER = "Partnernet"
# Threads per embedding inference (`lib.embeddings`); 0 leaves the engine's own default.
EMBEDDING_THREADS = env_int("EMBEDDING_THREADS", 1)

# Every form is drawn by templates/django/forms/{div,field}.html (one way, issue 11.7).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partnernet.core.context_processors.site",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = languages.CHOICES
LANGUAGE_CODES = [code for code, _ in LANGUAGES]

# The network whose queue the main menu links to (signed-in people).
QUEUE_NETWORK = "democratic-resilience"
MODELTRANSLATION_DEFAULT_LANGUAGE = "sv"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": languages.FALLBACK}
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS: list[Path | tuple[str, str]] = [BASE_DIR / "static"]
# Leaflet for the catalogue map, from the xstatic-leaflet package (no CDN).
import xstatic.pkg.leaflet  # noqa: E402

STATICFILES_DIRS += [("leaflet", xstatic.pkg.leaflet.BASE_DIR)]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files (documents, letters): the file system in the demo, S3-compatible storage in
# production (`STORAGE_BACKEND=s3`, through django-storages), so no server keeps state on disk.
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "filesystem")
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "region_name": env_str("S3_REGION") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Every uploaded file goes straight to a temporary file, chunk by chunk (never held in memory),
# and one above DOCUMENT_MAX_BYTES is dropped while it arrives (the page says it is too large).
FILE_UPLOAD_HANDLERS = ["partnernet.documents.uploads.LimitedTemporaryFileUploadHandler"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

EMAIL_URL = env_str("EMAIL_URL", "console://")
if EMAIL_URL.startswith("smtp"):
    _email = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme == "smtp+tls"
elif EMAIL_URL.startswith("locmem"):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Seconds a mail server may take to answer before the send fails (and its job is retried).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Partnernet <noreply@partnernet.localhost>")
# Where people write to the funder: the contact, privacy and accessibility pages show it.
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "contact@partnernet.localhost")


# Report reminders (issue 14): days from a report's due date on which its coordinators are
# reminded (negative: before), e.g. `-14,-3,1,7`; `send_report_reminders` sends them daily.
def _reminder_days(raw: list[str]) -> list[int]:
    from django.core.exceptions import ImproperlyConfigured

    try:
        days = sorted({int(item) for item in raw})
    except ValueError as error:
        raise ImproperlyConfigured(f"REPORT_REMINDER_DAYS: whole numbers ({raw})") from error
    if any(abs(day) > 366 for day in days):
        raise ImproperlyConfigured("REPORT_REMINDER_DAYS: at most a year before or after")
    return days


REPORT_REMINDER_DAYS = _reminder_days(env_list("REPORT_REMINDER_DAYS", ["-14", "-3", "1", "7"]))

# Background work (issue 15): with a broker, jobs go to `partnernet worker`; without one (the
# demo, the tests) they run in the web process after the commit (`partnernet.jobs.services`).
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL) or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message a worker took and never acknowledged (it died) is handed out again after this long.
# Publishing after a commit tries the broker twice at once (a pooled connection may be stale
# after a Redis restart), then gives up: the job waits in the outbox for the relay, and the
# request is never held up by a broker that is down (kombu's default would retry for 2-3 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 15 * 60),
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
}
CELERY_BEAT_SCHEDULE = beat_schedule()

# Several application servers (issue 15): with CACHE_URL (or REDIS_URL) the cache (catalogue
# pages, API rate limits) is one Redis that all share, and sessions live in the database with
# Redis in front (`cached_db`): every server knows every session, and a Redis outage signs
# nobody out. The cache tolerates an outage (`partnernet.lib.cache`): reads miss, writes are
# dropped, rate limits let requests through, and Redis is tried again every CACHE_RETRY_AFTER s.
CACHE_URL = env_str("CACHE_URL", REDIS_URL)
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "partnernet.lib.cache.TolerantRedisCache",
            "LOCATION": CACHE_URL,
            "RETRY_AFTER": float(env_str("CACHE_RETRY_AFTER", "5") or 5),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Requests per API token (or per client address without one) on /api/v1, counted in the cache:
# with CACHE_URL, across every application server together.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/min")

SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

# Observability (issue 15): one JSON object per line in production, readable lines for the demo;
# every line carries the request id and the person's id (`partnernet.lib.requestlog`).
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("LOG_FORMAT must be json or text")
# `/metrics` (Prometheus) answers only a scraper that sends `Authorization: Bearer <token>`.
METRICS_TOKEN = env_str("METRICS_TOKEN")
# One report per new unhandled error, through the job queue: an address and/or a webhook.
ERROR_REPORT_EMAIL = env_str("ERROR_REPORT_EMAIL")
ERROR_REPORT_URL = env_str("ERROR_REPORT_URL")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "partnernet.lib.requestlog.ContextFilter"}},
    "formatters": {
        "json": {"()": "partnernet.lib.requestlog.JsonFormatter"},
        "text": {"()": "partnernet.lib.requestlog.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "partnernet": {"level": env_str("LOG_LEVEL", "INFO"), "propagate": True},
        # Requests for a host we do not serve are scanners: answered 400, not worth a traceback.
        "django.security.DisallowedHost": {"handlers": [], "level": "CRITICAL", "propagate": False},
        # pypdf reports every oddity of a PDF it reads; a refused upload is logged once by us.
        "pypdf": {"level": "ERROR"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
