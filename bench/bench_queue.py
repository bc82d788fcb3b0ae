"""The officer's queue page with 1 000 municipalities in the queue (and 20 requests to join
awaiting verification): median time, and the number of queries, which must not grow with the
queue (the same page at 100 entries makes as many)."""

from django.test import Client

from bench.queue_data import ensure_queue
from bench.util import count_queries, median, metric, timings_ms
from partnernet.accounts.models import Organisation, Role, RoleAssignment, User
from partnernet.accounts.testing import sign_in


def officer_client() -> Client:
    user, _created = User.objects.get_or_create(
        email="bench-queue-officer@icld.example", defaults={"is_staff": True}
    )
    funder = Organisation.objects.get(kind=Organisation.Kind.FUNDER)
    RoleAssignment.objects.get_or_create(
        user=user, role=Role.PROGRAMME_OFFICER, organisation=funder
    )
    return sign_in(Client(), user)


def run(ctx: dict) -> dict:
    client = officer_client()
    large = ensure_queue("bench-queue-1000", 1000)
    small = ensure_queue("bench-queue-100", 100)

    def page(network):
        def get():
            response = client.get(f"/en/queue/{network.slug}/")
            assert response.status_code == 200, response.status_code

        return get

    page(large)()  # warm: translations, templates
    queries_large = count_queries(page(large))
    queries_small = count_queries(page(small))
    return {
        "queue_page_1000_ms": metric(median(timings_ms(page(large), 7)), "ms"),
        "queue_page_1000_queries": metric(queries_large, "queries"),
        "queue_page_queries_1000_minus_100": metric(queries_large - queries_small, "queries"),
    }
