from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "partnernet.reports"
    label = "reports"
