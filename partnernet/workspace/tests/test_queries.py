"""The activity list, the timeline and the start page read a fixed number of queries, whatever
the number of activities (pinned at 5 and 50, with participants and budget lines), and so does
the public partnership page with done, public activities."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnernet.grants.models import BudgetLine
from partnernet.workspace.models import Activity, ActivityStatus, TeamMember
from partnernet.workspace.selectors import granted_application

from .conftest import OWN

pytestmark = pytest.mark.django_db
PAGES = [
    f"/sv/partnerships/{OWN}/work/",
    f"/sv/partnerships/{OWN}/work/activities/",
    f"/sv/partnerships/{OWN}/work/activities/timeline/",
    f"/sv/partnerships/{OWN}/work/team/",
]


def fill(partnership, count: int) -> None:
    Activity.objects.filter(partnership=partnership).delete()
    line = BudgetLine.objects.filter(application=granted_application(partnership)).first()
    members = list(TeamMember.objects.filter(partnership=partnership)[:3])
    today = timezone.localdate()
    for i in range(count):
        status = [ActivityStatus.PLANNED, ActivityStatus.DONE, ActivityStatus.POSTPONED][i % 3]
        a = Activity.objects.create(
            partnership=partnership,
            kind="visit" if i % 2 else "workshop",
            travelling_side="swedish" if i % 2 else "",
            title=f"Aktivitet {i}",
            starts_on=today + timedelta(days=i * 7 - 150),
            status=status,
            report="Rapport" if status == ActivityStatus.DONE else "",
            report_language="sv" if status == ActivityStatus.DONE else "",
            budget_line=line,
            is_public=True,
        )
        a.participants.set(members)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", PAGES)
def test_a_workspace_page_reads_a_fixed_number_of_queries(falun, own, url):
    fill(own, 5)
    few = queries(falun, url)
    fill(own, 50)
    many = queries(falun, url)
    assert few == many, (url, few, many)
    # the page's own reads, the header's unread count and, on the start page, the latest messages
    # and the reports panel (one query)
    assert many <= 13, (url, many)


def test_the_activity_list_is_pinned(falun, own, django_assert_max_num_queries):
    fill(own, 50)
    with django_assert_max_num_queries(7):  # 6 and the header's unread count
        falun.get(PAGES[1])


def test_the_start_page_is_pinned(falun, own, django_assert_max_num_queries):
    fill(own, 50)
    # 10, the unread count, the latest messages, the reports panel
    with django_assert_max_num_queries(13):
        falun.get(PAGES[0])


def test_the_public_page_is_fixed_too(client, own):
    fill(own, 5)
    few = queries(client, f"/sv/partnerships/{OWN}/")
    fill(own, 50)
    assert queries(client, f"/sv/partnerships/{OWN}/") == few
