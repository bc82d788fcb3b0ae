import pytest

from partnernet.reports.models import ReportReminder


@pytest.fixture
def without_demo_reminders(db) -> None:
    """The demo's reports carry reminders (two are overdue); a test that counts what the daily
    job sends starts without them."""
    ReportReminder.objects.all().delete()
