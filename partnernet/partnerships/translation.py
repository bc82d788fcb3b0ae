from modeltranslation.translator import TranslationOptions, register

from .models import CooperationArea, Goal, Network, Partnership, Tag


@register(Network)
class NetworkTranslation(TranslationOptions):
    fields = ("name", "description")


@register(CooperationArea)
class CooperationAreaTranslation(TranslationOptions):
    fields = ("name",)


@register(Goal)
class GoalTranslation(TranslationOptions):
    fields = ("short_name", "title")


@register(Tag)
class TagTranslation(TranslationOptions):
    fields = ("name",)


@register(Partnership)
class PartnershipTranslation(TranslationOptions):
    fields = ("title", "summary", "description")
