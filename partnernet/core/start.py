"""The start page of a signed-in person (`/{lang}/me/`): what waits for them, their
partnerships and their queue place, composed from each app's selectors (core sits above them
all). A fixed number of queries, whatever the size of the queue or the number of applications.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from partnernet.accounts.models import User
from partnernet.accounts.permissions import Perm, holds
from partnernet.grants import selectors as grants
from partnernet.lib.waiting import Waiting, by_date
from partnernet.matchmaking import selectors as matchmaking
from partnernet.partnerships import selectors as partnerships
from partnernet.partnerships.models import Network, Partnership
from partnernet.reports import selectors as reports


@dataclass(frozen=True)
class StartPage:
    waiting: list[Waiting]
    partnerships: list[tuple[Partnership, str]]
    queue: list[matchmaking.QueuePlace]
    network: Network | None
    queue_counts: dict[str, int]  # officers: how many wait, per country


def start_page_for(*, user: User) -> StartPage:
    network = Network.objects.filter(slug=settings.QUEUE_NETWORK).first()
    waiting = (
        matchmaking.waiting_for(user=user)
        + grants.waiting_for(user=user)
        + reports.waiting_for(user=user)
    )
    queue: list[matchmaking.QueuePlace] = []
    counts: dict[str, int] = {}
    if network is not None:
        queue = matchmaking.queue_places_for(user=user, network=network)
        if holds(user, Perm.QUEUE_MANAGE):
            counts = matchmaking.queue_waiting_counts(network=network)
    return StartPage(
        waiting=by_date(waiting),
        partnerships=partnerships.partnerships_of(user=user),
        queue=queue,
        network=network,
        queue_counts=counts,
    )


__all__ = ["StartPage", "start_page_for"]
