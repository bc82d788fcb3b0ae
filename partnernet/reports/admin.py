from django.contrib import admin

from .models import ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """Officers record the rates expenditures in other currencies are converted at."""

    list_display = ("currency", "on", "rate", "source")
    list_filter = ("currency",)
    ordering = ("currency", "-on")
