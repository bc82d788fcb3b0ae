from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "partnernet.opendata"
    label = "opendata"
