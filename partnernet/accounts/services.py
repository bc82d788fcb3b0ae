"""Writes about people: invitations, passwords, sign-in protection, sessions, two-factor
devices, and erasure. Every state change writes an audit entry; e-mail goes out on commit."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.backends import cache as cache_sessions
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnernet.audit import personal
from partnernet.audit.services import audit_record
from partnernet.lib import languages
from partnernet.municipalities.models import Municipality

from . import permissions
from .models import (
    STAFF_ROLES,
    LoginFailure,
    Organisation,
    Role,
    RoleAssignment,
    SessionRecord,
    User,
)
from .notify import Message, notify

if TYPE_CHECKING:  # a higher layer: named for the type checker only
    from partnernet.partnerships.models import Partnership

LOCKOUT_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 10
# A municipality's office often shares one address; the per-address limit is looser.
MAX_FAILURES_PER_ADDRESS = 50
RECOVERY_CODE_COUNT = 10


def organisation_for_code(code: str) -> Organisation | None:
    """The funder for `funder`, else the municipality's organisation (created on first use)."""
    if code.strip().lower() == "funder":
        return Organisation.objects.filter(kind=Organisation.Kind.FUNDER).first()
    municipality = Municipality.objects.filter(code__iexact=code.strip()).first()
    if municipality is None:
        return None
    organisation, _created = Organisation.objects.get_or_create(
        municipality=municipality,
        defaults={"name": str(municipality)[:200], "kind": Organisation.Kind.MUNICIPALITY},
    )
    return organisation


def password_set_path(*, user: User) -> str:
    """The one-time address where `user` sets a password (invalid once a password is set)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_set", kwargs={"uidb64": uid, "token": token})


def password_set_link(*, user: User) -> str:
    return settings.SITE_URL.rstrip("/") + password_set_path(user=user)


def _send_link(*, user: User, subject: str, body: str) -> None:
    """E-mail `user` (after the commit, in their language) with their set-password link:
    e-mail only (a secret link is never kept as a notification), whatever they prefer."""
    notify(
        [user],
        Message(
            subject=subject,
            body=body,
            params={"link": _password_link(user)},
            in_app=False,
            always_email=True,
        ),
    )


def _password_link(user: User) -> Callable[[str], str]:
    return lambda language: password_set_link(user=user)  # reverse() adds the language


@dataclass(frozen=True)
class Invitation:
    user: User
    created: bool  # a new account
    link: str | None  # its one-time set-password link; never for an account that existed


def _check_grant(
    *, actor: User | None, user: User | None, role: str, organisation: Organisation
) -> None:
    """Refuse a grant the actor may not make (AccessRefused) or a role that does not fit the
    organisation (ValidationError). `actor` None is the system (the `createuser` command)."""
    if actor is not None:
        if not permissions.may_grant(actor, role):
            raise permissions.AccessRefused(
                hidden=False,
                perm=permissions.Perm.ROLE_GRANT,
                message=str(
                    _("You may not give the role “%(role)s”.") % {"role": Role(role).label}
                ),
            )
        if user is not None and user.pk == actor.pk:
            raise permissions.AccessRefused(
                hidden=False,
                perm=permissions.Perm.ROLE_GRANT,
                message=str(_("Nobody may change their own roles.")),
            )
    funder_role = role in STAFF_ROLES
    if funder_role != (organisation.kind == Organisation.Kind.FUNDER):
        raise ValidationError(
            _("Staff roles belong to the funder; municipal roles to a municipality.")
        )


@transaction.atomic
def role_grant(
    *,
    actor: User | None,
    user: User,
    role: str,
    organisation: Organisation,
    partnership: Partnership | None = None,
) -> RoleAssignment:
    """Give `user` a role (idempotent). Programme officers only, never to themselves, never a
    power they do not hold (`permissions.may_grant`). Staff roles make the person staff, so
    they need two factors from their next request on."""
    _check_grant(actor=actor, user=user, role=role, organisation=organisation)
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, organisation=organisation, partnership=partnership
    )
    if created:
        audit_record(
            actor=actor,
            action="grant_role",
            obj=user,
            after={
                "role": role,
                "organisation": organisation.pk,
                "partnership": getattr(partnership, "pk", None),
            },
        )
    permissions.forget(user)
    return assignment


@transaction.atomic
def user_invite(
    *,
    email: str,
    role: str,
    organisation: Organisation,
    partnership: Partnership | None = None,
    full_name: str = "",
    invited_by: User | None = None,
    language: str = languages.DEFAULT,
) -> Invitation:
    """Give a person `role`, creating their account if there is none.

    A new account gets a one-time set-password link, e-mailed and returned. An existing account
    never gets one (that would hand the inviter someone else's account): the role is added and
    the person is told by e-mail. `invited_by` None is the system (the `createuser` command).
    `language` is a new account's preferred language (its e-mails, its start page, the pages
    without a language prefix); an existing account keeps the one it chose.
    """
    if language not in languages.LANGUAGES:
        raise ValidationError(_("Unknown language."), code="language")
    email = User.objects.normalize_email(email).strip().lower()
    existing = User.objects.filter(email=email).first()
    created = existing is None
    _check_grant(actor=invited_by, user=existing, role=role, organisation=organisation)
    user = existing or User.objects.create_user(
        email=email, full_name=full_name, preferred_language=language
    )
    role_grant(
        actor=invited_by, user=user, role=role, organisation=organisation, partnership=partnership
    )
    audit_record(
        actor=invited_by,
        action="invite",
        obj=user,
        after={
            "role": role,
            "organisation": organisation.pk,
            "partnership": getattr(partnership, "pk", None),
            "created": created,
        },
    )
    if created:
        _send_link(
            user=user,
            subject=gettext_noop("Your Partnernet account"),
            body=gettext_noop(
                "You have been invited to Partnernet. Set your password here: %(link)s"
            ),
        )
    else:
        notify(
            [user],
            Message(
                subject=gettext_noop("A new role in Partnernet"),
                body=gettext_noop(
                    "You now have the role “%(role)s” (%(organisation)s) in Partnernet. Sign in "
                    "as usual: %(link)s"
                ),
                params={"role": Role(role).label, "organisation": organisation.name},
                link=settings.LOGIN_URL,
            ),
        )
    return Invitation(
        user=user, created=created, link=password_set_link(user=user) if created else None
    )


@transaction.atomic
def user_set_password(*, user: User, password: str) -> None:
    """Set a (validated) password and end every session the person had."""
    user.set_password(password)
    user.save(update_fields=["password"])
    sessions_end_all(user=user)
    login_failures_clear(email=user.email)
    audit_record(actor=user, action="set_password", obj=user)


def password_reset_request(*, email: str) -> None:
    """E-mail a one-time reset link if the address belongs to an active person; silent otherwise
    (so the form does not reveal who has an account)."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    audit_record(actor=None, action="password_reset_request", obj=user)
    _send_link(
        user=user,
        subject=gettext_noop("Reset your Partnernet password"),
        body=gettext_noop("Someone asked to reset your password. If it was you: %(link)s"),
    )


def login_locked_until(*, email: str, ip_address: str) -> datetime | None:
    """When sign-in opens again for this account or address, or None if it is open now."""
    since = timezone.now() - LOCKOUT_WINDOW
    recent = LoginFailure.objects.filter(created_at__gte=since)
    for failures, limit in (
        (recent.filter(email=email.strip().lower()), MAX_FAILURES_PER_ACCOUNT),
        (recent.filter(ip_address=ip_address), MAX_FAILURES_PER_ADDRESS),
    ):
        times = list(failures.order_by("-created_at").values_list("created_at", flat=True)[:limit])
        if len(times) >= limit:
            # Released when the oldest of the last `limit` failures leaves the window.
            return times[-1] + LOCKOUT_WINDOW
    return None


def login_failure_record(*, email: str, ip_address: str) -> None:
    LoginFailure.objects.create(email=email.strip().lower()[:254], ip_address=ip_address[:45])
    # Old failures are of no use after the window; keep the table small.
    LoginFailure.objects.filter(created_at__lt=timezone.now() - 4 * LOCKOUT_WINDOW).delete()


def login_failures_clear(*, email: str) -> None:
    LoginFailure.objects.filter(email=email.strip().lower()).delete()


def session_record_start(
    *, user: User, session_key: str, ip_address: str = "", user_agent: str = ""
) -> SessionRecord:
    record, _created = SessionRecord.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "last_seen": timezone.now(),
            "ip_address": ip_address[:45],
            "user_agent": user_agent[:300],
        },
    )
    return record


def sessions_end_all(*, user: User, except_key: str | None = None) -> int:
    """Sign the person out everywhere (but for `except_key`); returns how many sessions ended."""
    records = SessionRecord.objects.filter(user=user)
    if except_key:
        records = records.exclude(session_key=except_key)
    keys = list(records.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    records.delete()
    _forget_cached_sessions(keys)
    # and again once the deletion is committed: a request that read a session from the
    # database meanwhile may have put it back in the cache
    transaction.on_commit(lambda: _forget_cached_sessions(keys))
    if keys:
        audit_record(actor=user, action="end_sessions", obj=user, after={"sessions": len(keys)})
    return len(keys)


# The session engines that keep sessions in the cache, and their key prefixes there.
CACHED_SESSION_PREFIXES = {
    "django.contrib.sessions.backends.cached_db": cached_db.KEY_PREFIX,
    "django.contrib.sessions.backends.cache": cache_sessions.KEY_PREFIX,
}


def _forget_cached_sessions(keys: list[str]) -> None:
    """Drop ended sessions from the cache in front of the database (`cached_db`, with several
    servers): a session read from there would otherwise stay signed in until it expired."""
    prefix = CACHED_SESSION_PREFIXES.get(settings.SESSION_ENGINE)
    if keys and prefix is not None:
        caches[settings.SESSION_CACHE_ALIAS].delete_many([prefix + key for key in keys])


def totp_device_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for `user` (replacing an unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a first code; returns fresh recovery codes, or None
    when the code is wrong."""
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=device.user, action="enable_2fa", obj=device.user)
    return recovery_codes_generate(user=device.user)


@transaction.atomic
def recovery_codes_generate(*, user: User) -> list[str]:
    """Replace the person's recovery codes with ten new single-use ones."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    audit_record(actor=user, action="recovery_codes", obj=user)
    return codes


@transaction.atomic
def person_erase(
    *, user: User, actor: User | None, reason: str = "", also_known_as: Iterable[str] = ()
) -> dict[str, int]:
    """Erase a person by anonymisation, driven by every model's personal-data declaration
    (`audit.personal`): their sign-in means (sessions, devices, tokens, failed sign-ins) go;
    their own record and every row about them (queue moves, audit entries, team members,
    contact persons) is blanked or pseudonymised; every mention of their name, e-mail address or
    telephone number in declared texts is replaced. What they did (roles, applications,
    decisions, the audit trail) stays, attributed to an anonymous person, because the funder
    must archive those records. `also_known_as`: other spellings of the name (Cyrillic and
    Latin), other addresses or numbers to search for. Returns the rows changed per model."""
    found = personal.person_identifiers(user, *also_known_as)
    sessions_end_all(user=user)  # Django's sessions have no foreign key to find them by
    counts = personal.erase(person=user, found=found)
    user.refresh_from_db()
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save(update_fields=["is_active", "is_staff", "is_superuser", "password"])
    compiled = personal.pattern(found)
    audit_record(
        actor=actor,
        action="erase",
        obj=user,
        reason=personal.scrub(reason, compiled) if compiled else reason,
        after={"rows": dict(sorted(counts.items()))},
    )
    return dict(counts)


def profile_update(*, user: User, full_name: str, preferred_language: str) -> None:
    before = {"full_name": user.full_name, "preferred_language": user.preferred_language}
    user.full_name, user.preferred_language = full_name, preferred_language
    user.save(update_fields=["full_name", "preferred_language"])
    after = {"full_name": full_name, "preferred_language": preferred_language}
    audit_record(actor=user, action="update", obj=user, before=before, after=after)


@transaction.atomic
def person_register(*, email: str, full_name: str, preferred_language: str) -> tuple[User, bool]:
    """The account of a person who signs up by themselves (a municipality joining the network):
    the existing account of that address, untouched, or a new one without a password and
    without any role, in the person's language. Returns (account, created).

    Nothing here proves the address: the caller sends a one-time link to it, and the person
    chooses a password (`user_set_password`) only after opening it. Roles come later, from an
    officer (`role_grant`)."""
    email = User.objects.normalize_email(email).strip().lower()
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        return existing, False
    user = User.objects.create_user(
        email=email, full_name=full_name.strip()[:200], preferred_language=preferred_language
    )
    audit_record(
        actor=None,
        action="register",
        obj=user,
        after={"preferred_language": preferred_language},
    )
    return user, True
