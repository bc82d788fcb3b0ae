"""Per-request account security: idle (30 min) and absolute (12 h) session limits, the
two-factor step that staff cannot skip (checked on every request, so a person made staff while
signed in is held until they verify), who is writing (for the audit triggers), and the one
place where the permission layer's refusal becomes a 404 or 403 page."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.db import connection
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partnernet.lib import languages

from .models import SessionRecord
from .permissions import AccessRefused, requires_two_factor, session_verified
from .selectors import has_two_factor
from .signals import SESSION_SEEN, SESSION_STARTED

# A sign-in (or a session being verified) waiting for its second factor.
PENDING_USER = "_pn_pending_user"
PENDING_SINCE = "_pn_pending_since"
PENDING_NEXT = "_pn_pending_next"
# Pages a person who must still verify with two factors may reach.
TWO_FACTOR_ALLOWED_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/login/",
    "/accounts/logout/",
    "/static/",
    "/i18n/",
)
SEEN_RESOLUTION = 60  # seconds: write "last seen" at most once a minute


class AuditActor:
    """Before the first write of a request, tell the PostgreSQL triggers who the actor is."""

    def __init__(self, request):
        self.request = request
        self.done = False

    def __call__(self, execute, sql, params, many, context):
        if not self.done and sql.lstrip()[:6].upper() in {"INSERT", "UPDATE", "DELETE"}:
            self.done = True
            user_id = getattr(self.request.user, "pk", None) or ""
            context["cursor"].execute(
                "SELECT set_config('partnernet.actor_id', %s, false)", [str(user_id)]
            )
        return execute(sql, params, many, context)


def session_expired(session, now: float) -> str | None:
    started, seen = session.get(SESSION_STARTED), session.get(SESSION_SEEN)
    if started is None or seen is None:
        return None
    if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
        return _("You were signed out after 12 hours. Please sign in again.")
    if now - seen > settings.SESSION_IDLE_TIMEOUT:
        return _("You were signed out after 30 minutes without activity. Please sign in again.")
    return None


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get("_auth_user_id"):
            response = self.check_session(request)
            if response is not None:
                return response
        if connection.vendor != "postgresql":
            return self.get_response(request)
        actor = AuditActor(request)
        with connection.execute_wrapper(actor):
            response = self.get_response(request)
        if actor.done:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('partnernet.actor_id', '', false)")
        return response

    def check_session(self, request):
        now = time.time()
        reason = session_expired(request.session, now)
        if reason:
            logout(request)
            messages.info(request, reason)
            return redirect(settings.LOGIN_URL + "?" + urlencode({"next": request.path}))
        seen = request.session.get(SESSION_SEEN)
        if seen is not None and now - seen > SEEN_RESOLUTION:
            request.session[SESSION_SEEN] = now
            SessionRecord.objects.filter(session_key=request.session.session_key).update(
                last_seen=timezone.now()
            )
        return self.hold_for_two_factor(request)

    def hold_for_two_factor(self, request):
        """Staff whose session is not verified by two factors reach only the two-factor pages:
        those with an authenticator give a code, the others set one up."""
        user = request.user
        if (
            request.path.startswith(TWO_FACTOR_ALLOWED_PREFIXES)
            or not requires_two_factor(user)
            or session_verified(user)
        ):
            return None
        if has_two_factor(user=user):
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_SINCE] = time.time()
            request.session[PENDING_NEXT] = request.get_full_path()
            return redirect("accounts:login_verify")
        messages.info(
            request, _("Staff must sign in with two factors. Set up your authenticator app now.")
        )
        return redirect("accounts:two_factor")

    def process_exception(self, request, exception):
        """The permission layer's one refusal, as a page: 404 for what the person may not see,
        403 for what they may not do (the API answers it as problem+json: `api.problems`)."""
        if not isinstance(exception, AccessRefused):
            return None
        mapped = Http404() if exception.hidden else PermissionDenied(exception.message)
        return response_for_exception(request, mapped)


def user_language(user) -> str:
    """The person's preferred language (the default for anyone without a valid one)."""
    language = getattr(user, "preferred_language", "") or ""
    return language if language in languages.LANGUAGES else languages.DEFAULT


def with_language_cookie(response, language: str):
    """Remember `language` for the pages without a language prefix (as `set_language` does)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class PreferredLanguageMiddleware:
    """The language of a page without a language prefix (sign-in, account, open data, API
    documentation): the language the visitor chose with the language switch (its cookie, as
    Django's LocaleMiddleware reads it), else a signed-in person's preferred language, else the
    browser's (LocaleMiddleware). Pages under `/sv/`, `/uk/`, `/en/` keep their prefix's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and translation.get_language_from_path(request.path_info) is None
            and request.session.get("_auth_user_id")
            and request.user.is_authenticated
        ):
            language = user_language(request.user)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
