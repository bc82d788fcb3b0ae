"""Reads about people: their sessions, their devices, and everything held about them."""

from __future__ import annotations

import datetime
import decimal
import uuid

from django.apps import apps
from django.db import models
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import RoleAssignment, SessionRecord, User
from .permissions import Perm, authorize_on_person

# Never exported, even to the person: secrets that would let someone sign in as them.
SECRET_FIELDS = {"password", "key", "token", "session_key", "session_data"}


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


def person_for_user(*, user, pk: int, perm: Perm) -> User:
    """A person's account, for acting on it with `perm` (export, erase): AccessRefused when the
    person does not exist or `user` may not do this to them (never to their own account)."""
    person = User.objects.filter(pk=pk).first()
    authorize_on_person(user, person, perm)
    return person


def sessions_of(*, user: User) -> QuerySet[SessionRecord]:
    return SessionRecord.objects.filter(user=user).order_by("-last_seen")


def roles_of(*, user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=user).select_related("organisation", "partnership")


def has_two_factor(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(*, user: User) -> int:
    device = StaticDevice.objects.filter(user=user, name="recovery").first()
    return device.token_set.count() if device else 0


def _plain(value):
    """A JSON-safe form of a model field value."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    if isinstance(value, FieldFile):
        return value.name or None
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def _row(obj: models.Model) -> dict:
    return {
        f.attname: _plain(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.name not in SECRET_FIELDS
    }


def person_export(*, user: User) -> dict:
    """Everything held about a person, as plain JSON-safe data: their own record and every row
    of any model that points at them (found by walking the foreign keys, so apps added later
    are included without changes here)."""
    data: dict = {"person": _row(user), "related": {}}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not (field.is_relation and field.related_model is User) or model is User:
                continue
            rows = model._default_manager.filter(**{field.name: user})
            if rows.exists():
                key = f"{model._meta.label_lower}.{field.name}"
                data["related"][key] = [_row(obj) for obj in rows[:10_000]]
    return data
