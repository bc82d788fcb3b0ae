"""Recording domain events. Every service that changes state calls `audit_record`."""

from typing import Any

from django.db import models

from .models import AuditEntry


def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one audit entry: `action` is a short verb such as `create`, `update`, `submit`."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_label=str(actor) if authenticated else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
        before=before,
        after=after,
        reason=reason,
    )
