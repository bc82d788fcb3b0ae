"""Writes of calls for applications."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction

from partnernet.accounts.models import User
from partnernet.audit.services import audit_record
from partnernet.partnerships.models import Network

from ..models import Call


def call_create(
    *,
    actor: User,
    network: Network,
    component: str,
    region: str,
    title_sv: str,
    title_uk: str = "",
    title_en: str = "",
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    budget: Decimal | None = None,
    min_reviews: int = 1,
) -> Call:
    """A new call; its plain title is the Swedish one."""
    with transaction.atomic():
        call = Call.objects.create(
            network=network,
            component=component,
            region=region,
            title=title_sv,
            title_sv=title_sv,
            title_uk=title_uk,
            title_en=title_en,
            opens_at=opens_at,
            closes_at=closes_at,
            budget=budget,
            min_reviews=min_reviews,
        )
        audit_record(actor=actor, action="create", obj=call)
    return call
