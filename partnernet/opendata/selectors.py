"""Reads for the open data: only what the public pages publish (`partnership_public_list`),
loaded in chunks so that exports of any size keep memory flat."""

from collections.abc import Iterator

from django.db.models import Count, Prefetch, Q, QuerySet

from partnernet.grants.selectors import partnership_results
from partnernet.municipalities.selectors import municipality_list
from partnernet.partnerships.models import FundingTransaction, Network, Partnership
from partnernet.partnerships.selectors import network_public_list, partnership_public_list

CHUNK = 500


def published_partnerships() -> QuerySet[Partnership]:
    """Published partnerships with everything the datasets and IATI show, oldest first (rows:
    the channels read them through the public projection)."""
    transactions = FundingTransaction.objects.order_by("date", "id")
    return (
        partnership_public_list()
        .prefetch_related(Prefetch("transactions", queryset=transactions))
        .order_by("pk")  # not the slug: a stored slug names a partner that may be private
    )


def iter_published_partnerships() -> Iterator[Partnership]:
    return published_partnerships().iterator(chunk_size=CHUNK)


def published_municipalities() -> QuerySet:
    return municipality_list().order_by("country_id", "code")


def published_networks() -> QuerySet[Network]:
    published = Count("partnerships", filter=Q(partnerships__publication="published"))
    return network_public_list().annotate(published=published).order_by("slug")


def partnership_indicators(partnership_ids: list[int]) -> dict[int, list]:
    """Indicators of each partnership's results plan (the grants app's LFA), when it has one."""
    return partnership_results(partnership_ids=partnership_ids)


def iter_published_in_chunks() -> Iterator[list[Partnership]]:
    """Published partnerships in lists of CHUNK, so related data can be read per chunk."""
    chunk: list[Partnership] = []
    for item in iter_published_partnerships():
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
