"""The start page (`/{lang}/me/`) with 1 000 municipalities in the queue: queries per page for a
coordinator and a programme officer (the same number as with the seed queue: constant), and
the time to draw it. The queue is filled inside a transaction that is rolled back, so the
bench database keeps its size for the other benchmarks."""

from django.db import transaction
from django.test import Client

from bench.util import count_queries, median, metric, timings_ms
from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.matchmaking.demo import queue_fill
from partnernet.matchmaking.models import QueueEntry
from partnernet.partnerships.models import Network

NETWORK = "democratic-resilience"
SIZE = 1_000
PEOPLE = {"coordinator": "falun@demo.example", "officer": "officer@icld.example"}


def fill_queue(size: int) -> int:
    """Municipalities join the queue until it holds `size` entries; returns its size."""
    network = Network.objects.get(slug=NETWORK)
    have = QueueEntry.objects.filter(network=network)
    queue_fill(network=network, count=size - have.count())
    return have.count()


def run(ctx: dict) -> dict:
    results = {}
    with transaction.atomic():
        clients = {}
        for who, email in PEOPLE.items():
            clients[who] = sign_in(Client(), User.objects.get(email=email))
            clients[who].get("/sv/me/")  # warm: session, catalogues
        small = {who: count_queries(lambda c=c: c.get("/sv/me/")) for who, c in clients.items()}
        size = fill_queue(SIZE)
        for who, client in clients.items():
            large = count_queries(lambda c=client: c.get("/sv/me/"))
            results[f"start_page_{who}_queries_1k_queue"] = metric(large, "queries")
            results[f"start_page_{who}_queries_growth"] = metric(large - small[who], "queries")
            ms = median(timings_ms(lambda c=client: c.get("/sv/me/"), 10))
            results[f"start_page_{who}_ms_1k_queue"] = metric(ms, "ms")
        results["start_page_queue_size"] = metric(size, "entries", lower_is_better=False)
        transaction.set_rollback(True)
    return results
