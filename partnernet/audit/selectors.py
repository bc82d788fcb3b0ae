from django.db import models
from django.db.models import QuerySet

from .models import AuditEntry


def audit_history(*, obj: models.Model) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
