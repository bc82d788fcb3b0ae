from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "partnernet.api"
    label = "api"
