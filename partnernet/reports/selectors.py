"""Reads of results plans, reports and their money: the one fetch per resource (`*_for_user`).

A partnership's reports and plan are seen by its team on both sides, programme officers and
finance officers (`Perm.REPORT_VIEW`); everyone else gets 404, as if nothing existed."""

from __future__ import annotations

from partnernet.accounts.models import User
from partnernet.accounts.permissions import AccessRefused, Perm, authorize, partnership_target
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.selectors import partnership_workspace_for_user

from .models import Report


def reports_partnership_for_user(
    *, user: User, slug: str, perm: Perm = Perm.REPORT_VIEW
) -> Partnership:
    """The partnership at `slug` for its reports and results plan: 404 for anyone who may not
    see them, 403 for a person who sees them but may not do `perm`."""
    return partnership_workspace_for_user(user=user, slug=slug, see=Perm.REPORT_VIEW, perm=perm)


def report_for_user(*, user: User, slug: str, pk: int, perm: Perm = Perm.REPORT_VIEW) -> Report:
    """One report of the partnership at `slug`; another partnership's report, or one that does
    not exist, is 404 whoever asks (even an officer reaches a report only under its own
    partnership's address)."""
    report = (
        Report.objects.select_related(
            "partnership__swedish_partner__country",
            "partnership__partner__country",
            "partnership__network",
            "agreement",
        )
        .filter(pk=pk, partnership__slug=slug)
        .first()
    )
    if report is None:
        # Whether the partnership exists is itself not told to those who may not see it.
        reports_partnership_for_user(user=user, slug=slug)
        raise AccessRefused(hidden=True, perm=Perm.REPORT_VIEW)
    authorize(user, partnership_target(report.partnership), see=Perm.REPORT_VIEW, perm=perm)
    return report


# The report schedule's reads (kept in their own module; re-exported here).
from .selectors_schedule import Schedule, ScheduledReport, schedule_of, waiting_for  # noqa: E402

__all__ = [
    "Schedule",
    "ScheduledReport",
    "report_for_user",
    "reports_partnership_for_user",
    "schedule_of",
    "waiting_for",
]
