"""Recording domain events. Every service that changes state calls `audit_record`."""

from typing import Any

from django.db import models

from . import personal
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
    """Append one audit entry: `action` is a short verb such as `create`, `update`, `submit`.

    The fields `obj`'s model declares personal (`audit.personal`) are redacted from `before`
    and `after`, and a row about one person is labelled by its kind and number, not its name;
    snapshots of another model's fields go through `personal.snapshot(instance, fields)`."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    model = obj._meta.model
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_label=str(actor) if authenticated else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=personal.label(obj),
        before=personal.redact(model, before),
        after=personal.redact(model, after),
        reason=reason,
    )


def transition_audited(
    *,
    obj: models.Model,
    action: str,
    field: str,
    actor: Any | None,
    reason: str = "",
    update_fields: list[str] | None = None,
) -> None:
    """Run the guarded django-fsm transition `action` on `obj`, save it and audit the change of
    its state `field` (before → after). The one shape of a state change: callers check first
    that the step may run (with their own words for a refusal) and hold the row's lock."""
    before = getattr(obj, field)
    getattr(obj, action)()
    obj.save(update_fields=update_fields)
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        reason=reason,
        before={field: before},
        after={field: getattr(obj, field)},
    )
