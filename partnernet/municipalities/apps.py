from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "partnernet.municipalities"
    label = "municipalities"
