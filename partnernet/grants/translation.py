from modeltranslation.translator import TranslationOptions, register

from .models import CALL_TEXTS, ApplicationSection, Call, CostCategory


@register(Call)
class CallTranslation(TranslationOptions):
    fields = CALL_TEXTS


@register(CostCategory)
class CostCategoryTranslation(TranslationOptions):
    fields = ("name", "explanation")


@register(ApplicationSection)
class ApplicationSectionTranslation(TranslationOptions):
    fields = ("text",)
