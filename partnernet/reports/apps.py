from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "partnernet.reports"
    label = "reports"

    def ready(self) -> None:
        from partnernet.grants.signals import agreement_accepted

        from .receivers import schedule_reports

        agreement_accepted.connect(schedule_reports, dispatch_uid="reports-schedule")
