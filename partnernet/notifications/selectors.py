"""Reads of a person's notifications. A person only ever reaches their own: every read is
filtered by the recipient (another person's notification is as if it did not exist)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from .models import EmailFrequency, Notification, NotificationPreference


def notifications_for(*, user: Any) -> QuerySet[Notification]:
    """The person's notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_for_user(*, user: Any, pk: int) -> Notification:
    """The person's own notification `pk`; 404 for a missing one and for another person's."""
    found = Notification.objects.filter(recipient=user, pk=pk).first()
    if found is None:
        raise Http404("no such notification")
    return found


def unread_count(*, user: Any) -> int:
    """How many of the person's notifications are unread (one query; 0 for the public)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def email_frequency(*, user: Any) -> str:
    found = NotificationPreference.objects.filter(user=user).values_list("email", flat=True).first()
    return found or EmailFrequency.IMMEDIATELY
