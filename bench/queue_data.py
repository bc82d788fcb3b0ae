"""A network whose queue holds n municipalities (`ensure_queue(slug, n)`), for the queue-page
benchmark and its pinned query count: every Swedish kommun first, then hromadas; every second
one with an interest profile in one or two cooperation areas, one in ten matched, one in
twenty granted, one in fifty withdrawn, and twenty requests to join awaiting verification.
Bulk-created, idempotent (a network that already has n entries is left as it is)."""

import hashlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from partnernet.accounts.models import User
from partnernet.matchmaking.models import InterestProfile, JoinRequest, QueueEntry, Side, Stage
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Network

AWAITING = 20


def _stage(i: int) -> str:
    if i % 50 == 49:
        return Stage.WITHDRAWN
    if i % 20 == 19:
        return Stage.GRANTED
    if i % 10 == 9:
        return Stage.MATCHED
    return Stage.INTERESTED


@transaction.atomic
def ensure_queue(slug: str, n: int) -> Network:
    network, _created = Network.objects.get_or_create(
        slug=slug, defaults={"name": f"Queue of {n}", "funder": "ICLD"}
    )
    if QueueEntry.objects.filter(network=network).count() >= n:
        return network
    QueueEntry.objects.filter(network=network).delete()
    InterestProfile.objects.filter(network=network).delete()
    JoinRequest.objects.filter(network=network).delete()
    places = list(Municipality.objects.order_by("-country_id", "code")[: n + AWAITING])
    if places and places[0].country_id != "SE":  # the reverse order put Ukraine first
        places = list(Municipality.objects.order_by("country_id", "code")[: n + AWAITING])
    queued, joining = places[:n], places[n:]
    now = timezone.now()
    QueueEntry.objects.bulk_create(
        QueueEntry(
            municipality=place,
            network=network,
            stage=_stage(i),
            position=i + 1,
            joined_at=now - timedelta(days=n - i),
            stage_changed_at=now - timedelta(days=n - i),
        )
        for i, place in enumerate(queued)
    )
    profiles = InterestProfile.objects.bulk_create(
        InterestProfile(
            municipality=place,
            network=network,
            side=Side.OFFERS if place.country_id == "SE" else Side.NEEDS,
            text=f"Generated profile {i}",
            source_language="en",
            capacity=1 + i % 3,
        )
        for i, place in enumerate(queued)
        if i % 2 == 0
    )
    areas = list(CooperationArea.objects.order_by("pk"))
    through = InterestProfile.areas.through
    through.objects.bulk_create(
        through(interestprofile_id=profile.pk, cooperationarea_id=areas[(i + k) % len(areas)].pk)
        for i, profile in enumerate(profiles)
        for k in range(1 + i % 2)
    )
    for i, place in enumerate(joining):
        user, _ = User.objects.get_or_create(email=f"joiner-{slug}-{i}@bench.example")
        JoinRequest.objects.create(
            municipality=place,
            network=network,
            user=user,
            status=JoinRequest.Status.AWAITING,
            text="Generated request",
            source_language="uk",
            key_digest=hashlib.sha256(f"{slug}-{i}".encode()).hexdigest(),
            expires_at=now + timedelta(days=2),
            confirmed_at=now,
        )
    return network
