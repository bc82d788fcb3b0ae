"""The audit trail: append-only domain events (who, what, why), on every database."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .personal import DEFAULT_PSEUDONYM, PersonalData


class AuditEntry(models.Model):
    """One recorded change. Never updated or deleted (the services only ever insert)."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    # Erasure is the one change ever made to an entry: the actor's label becomes a pseudonym
    # and every mention of the person in the texts and snapshots is replaced.
    PERSONAL_DATA = PersonalData(
        subject="actor",
        identity=("actor_label",),
        mentions=("object_label", "reason", "before", "after"),
        pseudonyms={"actor_label": DEFAULT_PSEUDONYM},
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"
        )


class RowChange(models.Model):
    """One row written to a tracked table, recorded by a PostgreSQL trigger (append-only).

    Written only by the database (see `audit.triggers`), so bulk updates and raw SQL are
    recorded too; `actor` comes from the `partnernet.actor_id` session variable.
    """

    table_name = models.CharField(_("table"), max_length=100)
    row_pk = models.CharField(_("row"), max_length=64)
    op = models.CharField(_("operation"), max_length=8)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    changed_at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor"), null=True, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("row change")
        verbose_name_plural = _("row changes")
        indexes = [models.Index(fields=["table_name", "row_pk"])]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.op} {self.table_name} {self.row_pk}"
