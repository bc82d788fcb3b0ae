from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "partnernet.audit"
    label = "audit"
