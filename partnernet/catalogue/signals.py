"""Partnership text changed: re-index it in the same transaction, so a rollback undoes both.

A renamed tag, cooperation area or municipality changes the names of every partnership that
uses it, so those are re-indexed too (bulk writes such as the registry import send no signal:
run `reindex_catalogue` after them)."""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Partnership, Tag

from .services import search_document_update


@receiver(post_save, sender=Partnership, dispatch_uid="catalogue_index_partnership")
def partnership_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search_document_update(partnership_id=instance.pk)


@receiver(m2m_changed, sender=Partnership.tags.through, dispatch_uid="catalogue_index_tags")
def partnership_tags_changed(sender, instance, action, reverse=False, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        search_document_update(partnership_id=instance.pk)


@receiver(post_save, sender=Tag, dispatch_uid="catalogue_index_tag_renamed")
@receiver(post_save, sender=CooperationArea, dispatch_uid="catalogue_index_area_renamed")
def label_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        _reindex(Partnership.objects.filter(**{"tags" if sender is Tag else "area": instance}))


@receiver(post_save, sender=Municipality, dispatch_uid="catalogue_index_municipality_renamed")
def municipality_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        _reindex(Partnership.objects.filter(swedish_partner=instance))
        _reindex(Partnership.objects.filter(partner=instance))


def _reindex(partnerships) -> None:
    for pk in partnerships.values_list("pk", flat=True).distinct():
        search_document_update(partnership_id=pk)
