"""The officer's queue page makes the same number of queries whatever the size of the queue
(pinned at two sizes, with profiles, areas, every group and requests awaiting verification),
and so does the public page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.queue_data import ensure_queue
from partnernet.accounts.testing import sign_in

from . import factories

pytestmark = pytest.mark.django_db
# Session, person and authenticator (3), network, counts per stage and their countries, the
# public waiting counts, roles, areas of the filter, entries, their profiles, places, requests
# awaiting verification, the header's unread notifications: none per entry.
OFFICER_PAGE_QUERIES = 14
PUBLIC_PAGE_QUERIES = 4


def _queries(client, url: str) -> int:
    client.get(url)  # warm: the permission cache of the session, translations
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_officers_queue_page_has_a_constant_number_of_queries(client):
    sign_in(client, factories.officer())
    small, large = ensure_queue("pinned-queue-30", 30), ensure_queue("pinned-queue-300", 300)
    counts = [_queries(client, f"/en/queue/{n.slug}/") for n in (small, large)]
    assert counts == [OFFICER_PAGE_QUERIES, OFFICER_PAGE_QUERIES]
    html = client.get(f"/en/queue/{large.slug}/").content.decode()
    assert html.count('class="mm-group-row"') == 4  # waiting, matched, granted, closed


def test_a_filtered_queue_page_has_as_many(client):
    sign_in(client, factories.officer())
    network = ensure_queue("pinned-queue-300", 300)
    url = f"/en/queue/{network.slug}/?country=UA&stage=interested&area=education"
    assert _queries(client, url) == OFFICER_PAGE_QUERIES


def test_the_public_queue_page_has_a_constant_number_of_queries(client):
    small, large = ensure_queue("pinned-queue-30", 30), ensure_queue("pinned-queue-300", 300)
    counts = [_queries(client, f"/en/queue/{n.slug}/") for n in (small, large)]
    assert counts == [PUBLIC_PAGE_QUERIES, PUBLIC_PAGE_QUERIES]
