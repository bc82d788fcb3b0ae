"""Partnership text changed: re-index it in the same transaction, so a rollback undoes both."""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from partnernet.partnerships.models import Partnership

from .services import search_document_update


@receiver(post_save, sender=Partnership, dispatch_uid="catalogue_index_partnership")
def partnership_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search_document_update(partnership_id=instance.pk)


@receiver(m2m_changed, sender=Partnership.tags.through, dispatch_uid="catalogue_index_tags")
def partnership_tags_changed(sender, instance, action, reverse=False, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        search_document_update(partnership_id=instance.pk)
