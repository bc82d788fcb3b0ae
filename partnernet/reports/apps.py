from typing import Any

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "partnernet.reports"
    label = "reports"

    def ready(self) -> None:
        from partnernet.grants.signals import agreement_accepted

        agreement_accepted.connect(_schedule_reports, dispatch_uid="reports-schedule")


def _schedule_reports(sender: Any, agreement_id: int, **kwargs: Any) -> None:
    """Both partners accepted the agreement (sent after its commit): schedule its reports."""
    from partnernet.grants.models import Agreement

    from .services.schedule import report_schedule_sync

    agreement = Agreement.objects.filter(pk=agreement_id).first()
    if agreement is not None:
        report_schedule_sync(agreement=agreement)
