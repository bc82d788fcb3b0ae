from modeltranslation.translator import TranslationOptions, register

from .models import Event


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "agenda")
