from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "partnernet.grants"
    label = "grants"
