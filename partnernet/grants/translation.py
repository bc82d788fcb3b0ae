from modeltranslation.translator import TranslationOptions, register

from .models import ApplicationSection, Call, CostCategory


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("title",)


@register(CostCategory)
class CostCategoryTranslation(TranslationOptions):
    fields = ("name", "explanation")


@register(ApplicationSection)
class ApplicationSectionTranslation(TranslationOptions):
    fields = ("text",)
