from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Event, Registration


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    list_display = ("title", "network", "starts_at", "status", "capacity", "is_public")
    list_filter = ("network", "status", "is_public")
    readonly_fields = ("status", "sequence")


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("event", "person", "partnership", "status", "attended")
    list_filter = ("status",)
    readonly_fields = ("status",)
