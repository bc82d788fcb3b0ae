from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "partnernet.audit"
    label = "audit"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the personal-data declaration check)
        from .triggers import on_post_migrate

        # After every migrate (and test-database creation) every tracked table gets its trigger.
        post_migrate.connect(on_post_migrate, dispatch_uid="partnernet_row_audit")
