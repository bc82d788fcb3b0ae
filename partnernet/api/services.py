"""Writes of the API app: tokens, and a coordinator's edits to their partnership's texts."""

import hashlib
import secrets
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from partnernet.accounts.models import User
from partnernet.audit.services import audit_record
from partnernet.partnerships.models import Partnership

from .models import ApiToken

TOKEN_PREFIX = "pn_"
TEXT_FIELDS = ("summary", "description")


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the model and the raw token, which is never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=raw[:10], token_hash=token_hash(raw)
    )
    audit_record(actor=user, action="create", obj=token, after={"name": token.name})
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """Revoke one of the user's tokens; revoking twice changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=user, action="revoke", obj=token)
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record use at most once a minute, so reads do not turn into a write per request."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


class PreconditionFailed(Exception):
    """The partnership is no longer what the writer based the change on (nothing changed)."""


@transaction.atomic
def partnership_texts_update(
    *,
    actor: User,
    partnership: Partnership,
    language: str,
    texts: dict[str, str | None],
    precondition: Callable[[Partnership], bool] | None = None,
) -> Partnership:
    """Change the summary and/or description of one language version.

    Editing the original language marks the other translations out of date (its time moves
    on); editing a translation records when that translation was brought up to date. The row is
    locked first; `precondition` (an API's If-Match) is checked on it under the lock, and when
    it fails `PreconditionFailed` is raised and nothing is written.
    """
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if precondition is not None and not precondition(partnership):
        raise PreconditionFailed
    changes = {f: v for f, v in texts.items() if f in TEXT_FIELDS and v is not None}
    before = {f"{f}_{language}": getattr(partnership, f"{f}_{language}") for f in changes}
    now = timezone.now()
    for field, value in changes.items():
        partnership.set_text(field, language, value, now=now)
    partnership.save()
    after = {f"{f}_{language}": v for f, v in changes.items()}
    audit_record(actor=actor, action="update", obj=partnership, before=before, after=after)
    return partnership
