"""Session bookkeeping: a record per signed-in session (for "my sessions" and "end all")."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from partnernet.lib.addresses import client_address

from .models import SessionRecord
from .services import session_record_start

SESSION_STARTED = "_pn_started"
SESSION_SEEN = "_pn_seen"


@receiver(user_logged_in, dispatch_uid="partnernet_session_start")
def on_login(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now
    if request.session.session_key is None:
        request.session.save()
    session_record_start(
        user=user,
        session_key=request.session.session_key,
        ip_address=client_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


@receiver(user_logged_out, dispatch_uid="partnernet_session_end")
def on_logout(sender, request, user, **kwargs) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        SessionRecord.objects.filter(session_key=key).delete()
