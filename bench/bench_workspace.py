"""A partnership's workspace with 20 and with 200 activities (each with participants and a
budget line), 20 and 500 documents, 20 and 2 000 messages in its conversation: queries per
page (the same at both sizes: constant) for the start page, the activity list, the timeline,
the documents and the conversation, and the time to draw each at the larger size. The data is
made inside a transaction that is rolled back, so the bench database keeps its size."""

from datetime import timedelta

from django.db import transaction
from django.test import Client
from django.utils import timezone

from bench.util import count_queries, median, metric, timings_ms
from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.conversations.models import Message
from partnernet.conversations.selectors import thread_of
from partnernet.documents.models import Document
from partnernet.grants.models import BudgetLine
from partnernet.partnerships.models import Partnership
from partnernet.workspace.models import Activity, ActivityStatus, TeamMember
from partnernet.workspace.selectors import granted_application

SLUG = "falun-kolomyia"
PAGES = {
    "start_page": f"/sv/partnerships/{SLUG}/work/",
    "activity_list": f"/sv/partnerships/{SLUG}/work/activities/",
    "timeline": f"/sv/partnerships/{SLUG}/work/activities/timeline/",
    "documents": f"/sv/partnerships/{SLUG}/work/documents/",
    "conversation": f"/sv/partnerships/{SLUG}/work/conversation/",
}
SIZES = (20, 200)
DOCUMENTS = 500
MESSAGES = 2_000


def fill(partnership: Partnership, activities: int, documents: int, messages: int) -> None:
    """The partnership holds exactly `activities` activities and at least `documents`
    documents and `messages` messages in its general thread."""
    Activity.objects.filter(partnership=partnership).delete()
    line = BudgetLine.objects.filter(application=granted_application(partnership)).first()
    members = list(TeamMember.objects.filter(partnership=partnership)[:4])
    today = timezone.localdate()
    statuses = [ActivityStatus.PLANNED, ActivityStatus.DONE, ActivityStatus.POSTPONED]
    rows = Activity.objects.bulk_create(
        Activity(
            partnership=partnership,
            kind="visit" if i % 2 else "workshop",
            travelling_side="swedish" if i % 2 else "",
            title=f"Aktivitet {i}",
            starts_on=today + timedelta(days=3 * i - activities),
            status=statuses[i % 3],
            report="Kort rapport." if i % 3 == 1 else "",
            report_language="sv" if i % 3 == 1 else "",
            budget_line=line,
        )
        for i in range(activities)
    )
    through = Activity.participants.through
    through.objects.bulk_create(
        through(activity_id=a.pk, teammember_id=m.pk) for a in rows for m in members
    )
    missing = documents - Document.objects.filter(partnership=partnership).count()
    Document.objects.bulk_create(
        Document(partnership=partnership, title=f"Protokoll {i}", category="minutes", language="sv")
        for i in range(max(missing, 0))
    )
    thread = thread_of(partnership=partnership)
    authors = [m.user for m in members if m.user is not None] or [None]
    missing = messages - Message.objects.filter(thread=thread).count()
    Message.objects.bulk_create(
        Message(
            thread=thread,
            author=authors[i % len(authors)],
            body=f"Meddelande {i} om besöket",
            language="sv" if i % 2 else "uk",
        )
        for i in range(max(missing, 0))
    )


def run(ctx: dict) -> dict:
    results = {}
    with transaction.atomic():
        partnership = Partnership.objects.get(slug=SLUG)
        client = sign_in(Client(), User.objects.get(email="falun@demo.example"))
        client.get(PAGES["start_page"])  # warm: session, catalogues
        counts: dict[str, dict[int, int]] = {name: {} for name in PAGES}
        for size in SIZES:
            large_size = size == SIZES[-1]
            fill(
                partnership,
                size,
                DOCUMENTS if large_size else 20,
                MESSAGES if large_size else 20,
            )
            for name, url in PAGES.items():
                counts[name][size] = count_queries(lambda u=url: client.get(u))
        small, large = SIZES
        print(
            f"\n  workspace queries      {small:>5} activities  {large:>5} activities"
            f"  (documents 20 → {DOCUMENTS}, messages 20 → {MESSAGES})"
        )
        for name, url in PAGES.items():
            ms = median(timings_ms(lambda u=url: client.get(u), 10))
            print(f"  {name:<22} {counts[name][small]:>16} {counts[name][large]:>16}   {ms:.1f} ms")
            results[f"workspace_{name}_queries_{large}"] = metric(counts[name][large], "queries")
            results[f"workspace_{name}_queries_growth"] = metric(
                counts[name][large] - counts[name][small], "queries"
            )
            results[f"workspace_{name}_ms_{large}"] = metric(ms, "ms")
        transaction.set_rollback(True)
    return results
