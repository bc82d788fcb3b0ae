from modeltranslation.translator import TranslationOptions, register

from .models import InterestProfile


@register(InterestProfile)
class InterestProfileTranslation(TranslationOptions):
    fields = ("text",)
