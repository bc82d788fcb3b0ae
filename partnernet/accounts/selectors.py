"""Reads about people: their sessions, their devices, and everything held about them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnernet.audit import personal

from .models import RoleAssignment, SessionRecord, User
from .permissions import Perm, authorize_on_person


def user_from_uid(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def people_list() -> QuerySet[User]:
    return User.objects.prefetch_related("roles__organisation", "roles__partnership").order_by(
        "email"
    )


def person_for_user(*, user: User, pk: int, perm: Perm) -> User:
    """A person's account, for acting on it with `perm` (export, erase): AccessRefused when the
    person does not exist or `user` may not do this to them (never to their own account)."""
    person = User.objects.filter(pk=pk).first()
    authorize_on_person(user, person, perm)
    assert person is not None  # authorize refused a missing one
    return person


def sessions_of(*, user: User) -> QuerySet[SessionRecord]:
    return SessionRecord.objects.filter(user=user).order_by("-last_seen")


def roles_of(*, user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=user).select_related("organisation", "partnership")


def has_two_factor(*, user: User) -> bool:
    # django_otp is untyped: its managers' answers are Any.
    confirmed: bool = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return confirmed


def recovery_codes_left(*, user: User) -> int:
    device = StaticDevice.objects.filter(user=user, name="recovery").first()
    return device.token_set.count() if device else 0


def person_export(*, user: User) -> dict:
    """Everything held about a person, as plain JSON-safe data, secrets left out: their own
    record, every row pointing at them (walking the foreign keys, so apps added later are
    included without changes here), the rows that name them and the texts that mention them.
    What counts as personal or secret is each model's declaration (`audit.personal`)."""
    found = personal.person_identifiers(user)
    return {"person": personal.own_record(user), **personal.about(person=user, found=found)}
