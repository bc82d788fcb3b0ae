"""Writes for a municipality that joins a network by itself (`/join/`), split from
`services.py` like `matches.py`.

    start (form sent)  → unconfirmed: an account without a password or role, a one-time link
    confirm (the link) → awaiting verification: the person chooses a password; officers told
    verify (officer)   → verified: coordinator role, interest profile, place in the queue
    decline (officer)  → declined, with a reason the person is told

Until it is verified a request is nowhere public and takes no place in the queue: it lives in
its own table, which no public page, API operation, dataset or search reads. A client address
may send the form `JOIN_LIMIT` times per `JOIN_WINDOW` (table `JoinAttempt`, so the limit holds
across servers). Same rules as the other services: guarded transitions, audited, e-mails after
the commit in each person's language.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partnernet.accounts.models import Role, User
from partnernet.accounts.notify import Message, notify
from partnernet.accounts.services import (
    organisation_for_code,
    person_register,
    role_grant,
    user_set_password,
)
from partnernet.audit.services import audit_record
from partnernet.lib.systemtext import system_text
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Network

from .models import JoinAttempt, JoinRequest, QueueEntry
from .selectors import join_refusal, key_digest
from .services import profile_save, queue_entry_join, reason_required

JOIN_LIMIT = 10  # form submissions per client address …
JOIN_WINDOW = timedelta(hours=1)  # … in this window
LINK_VALID = timedelta(hours=48)  # how long the confirmation link works


@transaction.atomic
def join_attempt_record(
    *, ip_address: str, email: str = "", at: datetime | None = None
) -> datetime | None:
    """Count one submission of the join form from `ip_address`. Returns None when it may go
    on, else the time the address may send again (nothing is counted then)."""
    at = at or timezone.now()
    recent = JoinAttempt.objects.filter(ip_address=ip_address[:45], created_at__gt=at - JOIN_WINDOW)
    times = list(recent.order_by("-created_at").values_list("created_at", flat=True)[:JOIN_LIMIT])
    if len(times) >= JOIN_LIMIT:
        return times[-1] + JOIN_WINDOW
    JoinAttempt.objects.create(
        ip_address=ip_address[:45], email=email.strip().lower()[:254], created_at=at
    )
    JoinAttempt.objects.filter(created_at__lt=at - 4 * JOIN_WINDOW).delete()
    return None


def _refuse_if_taken(municipality: Municipality, network: Network) -> None:
    refusal = join_refusal(municipality=municipality, network=network)
    if refusal:
        raise ValidationError(refusal, code="taken")


@transaction.atomic
def join_request_start(
    *,
    municipality: Municipality,
    network: Network,
    email: str,
    full_name: str,
    language: str,
    areas: list[CooperationArea],
    text: str,
    capacity: int = 1,
    at: datetime | None = None,
) -> JoinRequest:
    """Someone asks for `municipality` to join: an account for them (or their existing one),
    an unconfirmed request, and an e-mail with the one-time link, in `language`."""
    _refuse_if_taken(municipality, network)
    if not text.strip():
        raise ValidationError(_("Please describe what you need or offer."), code="text")
    at = at or timezone.now()
    user, created = person_register(email=email, full_name=full_name, preferred_language=language)
    key = secrets.token_urlsafe(32)
    join_request = JoinRequest.objects.create(
        municipality=municipality,
        network=network,
        user=user,
        text=text.strip(),
        source_language=language,
        capacity=capacity,
        key_digest=key_digest(key),
        expires_at=at + LINK_VALID,
        created_at=at,
    )
    join_request.areas.set(areas)
    audit_record(
        actor=None,
        action="join_request",
        obj=join_request,
        after={"status": join_request.status, "new_account": created},
    )
    notify(
        [user],
        Message(
            subject=gettext_noop("Confirm your e-mail address to join Partnernet"),
            body=(
                gettext_noop(
                    "You asked for %(municipality)s to join the network %(network)s. Open this "
                    "link within 48 hours to confirm your e-mail address: %(link)s"
                ),
                gettext_noop(
                    "A programme officer then checks the request; you will get an e-mail when "
                    "it is verified. If you did not ask for this, ignore this message."
                ),
            ),
            params={"municipality": municipality, "network": network},
            link=reverse("join:confirm", kwargs={"key": key}),
            # The one-time link is a secret: e-mail only, whatever the person prefers.
            in_app=False,
            always_email=True,
        ),
    )
    return join_request


def _programme_officers() -> list[User]:
    return list(
        User.objects.filter(roles__role=Role.PROGRAMME_OFFICER, is_active=True)
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def join_request_confirm(
    *, join_request: JoinRequest, password: str | None = None, at: datetime | None = None
) -> JoinRequest:
    """The one-time link was opened: the request awaits verification. A new account gets the
    password its owner chose (an existing account keeps its own). The link dies here."""
    at = at or timezone.now()
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.UNCONFIRMED or join_request.expires_at <= at:
        raise ValidationError(_("This link has been used or has expired."), code="link")
    user = join_request.user
    if user is None or not user.is_active:
        raise ValidationError(_("This link has been used or has expired."), code="link")
    _refuse_if_taken(join_request.municipality, join_request.network)
    if not user.has_usable_password():
        if not password:
            raise ValidationError(_("Please choose a password."), code="password")
        user_set_password(user=user, password=password)
    join_request.confirm()
    join_request.confirmed_at = at
    join_request.save(update_fields=["status", "confirmed_at"])
    audit_record(
        actor=user, action="join_confirm", obj=join_request, after={"status": join_request.status}
    )
    notify(
        _programme_officers(),
        Message(
            subject=gettext_noop("A municipality asks to join the network"),
            body=gettext_noop(
                "%(municipality)s asks to join the network %(network)s. Please verify or "
                "decline the request: %(link)s"
            ),
            params={
                "municipality": join_request.municipality,
                "network": join_request.network,
            },
            link=reverse(
                "matchmaking:join_request",
                kwargs={"slug": join_request.network.slug, "pk": join_request.pk},
            ),
        ),
    )
    return join_request


def _awaiting(join_request: JoinRequest) -> JoinRequest:
    locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if locked.status != JoinRequest.Status.AWAITING:
        raise ValidationError(_("This request has already been decided."), code="decided")
    return locked


@transaction.atomic
def join_request_verify(*, join_request: JoinRequest, actor: User) -> QueueEntry:
    """An officer verifies the request: its person becomes the municipality's coordinator, its
    profile is saved and the municipality waits in the queue (at the end of it)."""
    join_request = _awaiting(join_request)
    municipality, network, user = join_request.municipality, join_request.network, join_request.user
    _refuse_if_taken(municipality, network)
    if user is None or not user.is_active:
        raise ValidationError(
            _("The person who asked no longer has an account: decline the request."),
            code="no_person",
        )
    organisation = organisation_for_code(municipality.code)
    assert organisation is not None  # the municipality exists
    role_grant(actor=actor, user=user, role=Role.MUNICIPAL_COORDINATOR, organisation=organisation)
    entry = queue_entry_join(
        municipality=municipality,
        network=network,
        actor=actor,
        reason=system_text(
            gettext_noop("Asked to join by itself; verified by a programme officer")
        ),
    )
    profile_save(
        municipality=municipality,
        network=network,
        actor=actor,
        text=join_request.text,
        source_language=join_request.source_language,
        areas=list(join_request.areas.all()),
        capacity=join_request.capacity,
        contact_name=user.full_name,
        contact_email=user.email,
    )
    join_request.verify()
    join_request.decided_at, join_request.decided_by = timezone.now(), actor
    join_request.entry = entry
    join_request.save(update_fields=["status", "decided_at", "decided_by", "entry"])
    audit_record(
        actor=actor,
        action="join_verify",
        obj=join_request,
        before={"status": JoinRequest.Status.AWAITING},
        after={"status": join_request.status, "entry": entry.pk},
    )
    notify(
        [user],
        Message(
            subject=gettext_noop("Your municipality is in the queue"),
            body=gettext_noop(
                "%(municipality)s has been verified and now waits in the queue of the network "
                "%(network)s. You are its coordinator in Partnernet. See its place in the queue "
                "and its interest profile here: %(link)s"
            ),
            params={"municipality": municipality, "network": network},
            link=reverse("matchmaking:entry", kwargs={"slug": network.slug, "pk": entry.pk}),
        ),
    )
    return entry


@transaction.atomic
def join_request_decline(*, join_request: JoinRequest, actor: User, reason: str) -> JoinRequest:
    """An officer declines the request, with a reason the person is told."""
    reason = reason_required(reason)
    join_request = _awaiting(join_request)
    join_request.decline()
    join_request.decided_at, join_request.decided_by = timezone.now(), actor
    join_request.decline_reason = reason
    join_request.save(update_fields=["status", "decided_at", "decided_by", "decline_reason"])
    audit_record(
        actor=actor,
        action="join_decline",
        obj=join_request,
        before={"status": JoinRequest.Status.AWAITING},
        after={"status": join_request.status},
        reason=reason,
    )
    notify(
        [join_request.user],
        Message(
            subject=gettext_noop("Your request to join the network"),
            body=gettext_noop(
                "The request for %(municipality)s to join the network %(network)s was "
                "declined. Reason: %(reason)s"
            ),
            params={
                "municipality": join_request.municipality,
                "network": join_request.network,
                "reason": reason,
            },
            link=reverse("join:start"),
        ),
    )
    return join_request
