from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "partnernet.catalogue"
    label = "catalogue"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the search index to partnership changes)
