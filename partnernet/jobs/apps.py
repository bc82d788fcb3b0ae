from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "partnernet.jobs"
    label = "jobs"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Every app's `tasks` module registers its jobs (`@job`), so a job named in the outbox
        # can run in any process: the web server (no broker), the worker or a command.
        autodiscover_modules("tasks")
