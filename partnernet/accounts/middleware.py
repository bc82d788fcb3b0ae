"""Per-request account security: idle (30 min) and absolute (12 h) session limits, the
two-factor set-up that staff cannot skip, and who is writing (for the audit triggers)."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import connection
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SessionRecord
from .signals import SESSION_SEEN, SESSION_STARTED

SETUP_REQUIRED = "_pn_2fa_setup_required"
# Pages a person who must still set up two-factor may reach.
SETUP_ALLOWED_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/i18n/")
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
        if request.session.get(SETUP_REQUIRED) and not request.path.startswith(
            SETUP_ALLOWED_PREFIXES
        ):
            return redirect("accounts:two_factor")
        return None
