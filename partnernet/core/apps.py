from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partnernet.core"
    label = "core"

    def ready(self) -> None:
        from . import checks, observability  # noqa: F401  (checks registers the system checks)

        observability.connect()  # the error reporter listens to unhandled errors
