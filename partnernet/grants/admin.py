from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Application, Call, Ceiling, CostCategory, Review


@admin.register(CostCategory)
class CostCategoryAdmin(TranslationAdmin):
    list_display = ("name", "slug", "eligible", "order")
    list_editable = ("eligible", "order")


@admin.register(Ceiling)
class CeilingAdmin(admin.ModelAdmin):
    list_display = ("component", "region", "amount", "per_year")
    list_editable = ("amount", "per_year")


@admin.register(Call)
class CallAdmin(TranslationAdmin):
    """The state changes only through the officers' open/close steps (guarded, audited)."""

    list_display = ("title", "network", "component", "state", "opens_at", "closes_at", "budget")
    list_filter = ("component", "network", "state")
    readonly_fields = ("state", "source_updated_at", "translated_at")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: states change through the services (audited), never by editing here."""

    list_display = ("__str__", "call", "state", "submitted_at", "granted_amount")
    list_filter = ("state", "call")
    readonly_fields = ("state",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("application", "reviewer", "submitted_at", "conflict_of_interest")

    def has_change_permission(self, request, obj=None):
        return False
