"""Read-mostly admin views: state changes go through the services (audited), not the admin."""

from django.contrib import admin

from .models import InterestProfile, LetterOfIntent, MatchProposal, QueueEntry, QueueMove


class ReadOnlyStateAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(InterestProfile)
class InterestProfileAdmin(ReadOnlyStateAdmin):
    list_display = ("municipality", "network", "side", "capacity", "is_example", "updated_at")
    list_filter = ("network", "side", "is_example")
    search_fields = ("municipality__name", "municipality__code")


class QueueMoveInline(admin.TabularInline):
    model = QueueMove
    extra = 0
    can_delete = False
    readonly_fields = (
        "created_at",
        "kind",
        "from_stage",
        "to_stage",
        "from_position",
        "to_position",
        "actor_label",
        "reason",
    )
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QueueEntry)
class QueueEntryAdmin(ReadOnlyStateAdmin):
    list_display = ("municipality", "network", "stage", "position", "joined_at")
    list_filter = ("network", "stage")
    search_fields = ("municipality__name", "municipality__code")
    inlines = [QueueMoveInline]


@admin.register(MatchProposal)
class MatchProposalAdmin(ReadOnlyStateAdmin):
    list_display = ("swedish_partner", "partner", "network", "status", "created_at")
    list_filter = ("network", "status")


@admin.register(LetterOfIntent)
class LetterOfIntentAdmin(ReadOnlyStateAdmin):
    list_display = ("swedish_partner", "partner", "network", "status")
    list_filter = ("network", "status")
