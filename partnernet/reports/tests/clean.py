"""The demo gives every seed partnership a report (one of them reimbursed); a test that builds a
schedule or a report of its own on a seed partnership starts without them."""

from partnernet.partnerships.models import Partnership
from partnernet.reports.models import Reimbursement, Report, ResultsPlan


def reports_cleared(partnership: Partnership) -> None:
    Reimbursement.objects.filter(report__partnership=partnership).delete()
    Report.objects.filter(partnership=partnership).delete()


def plans_cleared(partnership: Partnership) -> None:
    """Without the demo's results plan (and the reports whose values point at it)."""
    reports_cleared(partnership)
    ResultsPlan.objects.filter(partnership=partnership).delete()
