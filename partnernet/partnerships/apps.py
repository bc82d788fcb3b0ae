from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnernet.partnerships"
    label = "partnerships"
