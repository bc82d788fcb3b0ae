"""What the reports app does when another app tells it something (connected in `apps.py`)."""

from typing import Any

from partnernet.grants.models import Agreement

from .services.schedule import report_schedule_sync


def schedule_reports(sender: Any, agreement_id: int, **kwargs: Any) -> None:
    """Both partners accepted the agreement (sent after its commit): schedule its reports."""
    agreement = Agreement.objects.filter(pk=agreement_id).first()
    if agreement is not None:
        report_schedule_sync(agreement=agreement)
