from modeltranslation.translator import TranslationOptions, register

from .models import ReportSection


@register(ReportSection)
class ReportSectionTranslation(TranslationOptions):
    fields = ("text",)
