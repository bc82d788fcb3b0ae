from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from .models import AuditEntry, RowChange


def audit_history(*, obj: models.Model) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def history_model(object_type: str) -> type[models.Model]:
    """The model named `app_label.model_name`, or 404."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        raise Http404 from None


def object_history(*, object_type: str, object_id: str, limit: int = 500) -> dict:
    """Domain events and (on PostgreSQL) row changes of one object, newest first."""
    model = history_model(object_type)
    label = model._meta.label_lower
    try:
        obj = model._default_manager.filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError):
        obj = None  # an id of the wrong type: nothing to show but the (empty) history
    entries = AuditEntry.objects.filter(object_type=label, object_id=object_id)[:limit]
    rows = RowChange.objects.filter(table_name=model._meta.db_table, row_pk=object_id)[:limit]
    return {
        "verbose_name": model._meta.verbose_name,
        "object": obj,
        "entries": list(entries),
        "row_changes": list(rows),
    }
