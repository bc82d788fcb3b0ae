from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "partnernet.catalogue"
    label = "catalogue"
