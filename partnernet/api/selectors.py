"""Reads of the API app: tokens, and the partnerships a person coordinates."""

from django.db.models import Prefetch, Q, QuerySet

from partnernet.accounts.models import User
from partnernet.accounts.permissions import (
    AccessRefused,
    Perm,
    authorize,
    partnership_target,
    reach,
)
from partnernet.partnerships.models import Goal, Partnership, Tag

from .models import ApiToken
from .services import TOKEN_PREFIX, token_hash


def api_token_for_raw(*, raw: str) -> ApiToken | None:
    """The active token matching `raw`, with its user, or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def api_token_for_user(*, user: User, pk: int) -> ApiToken:
    """One of the user's own tokens; anyone else's is hidden (AccessRefused, 404)."""
    token = api_token_list(user=user).filter(pk=pk).first()
    if token is None:
        raise AccessRefused(hidden=True)
    return token


def _with_relations(queryset: QuerySet[Partnership]) -> QuerySet[Partnership]:
    return queryset.select_related(
        "swedish_partner__country", "partner__country", "network", "area"
    ).prefetch_related(
        Prefetch("goals", queryset=Goal.objects.order_by("number")),
        Prefetch("tags", queryset=Tag.objects.order_by("slug")),
    )


def coordinated_partnerships(*, user: User) -> QuerySet[Partnership]:
    """Partnerships (published or not) whose texts `user` edits (`Perm.PARTNERSHIP_EDIT`): a
    role limited to the partnership, or held for either municipality without a limit."""
    where = reach(user, Perm.PARTNERSHIP_EDIT)
    base = _with_relations(Partnership.objects.all()).order_by("slug")
    if where.everywhere:
        return base
    if not (where.partnerships or where.whole_municipalities):
        return base.none()
    return base.filter(
        Q(id__in=where.partnerships)
        | Q(swedish_partner_id__in=where.whole_municipalities)
        | Q(partner_id__in=where.whole_municipalities)
    )


def partnership_for_user(
    *, user: User, slug: str, perm: Perm = Perm.PARTNERSHIP_EDIT
) -> Partnership:
    """One partnership, in full, for a person who edits it; hidden (404) from everyone else,
    published or not (no hint that it exists)."""
    partnership = _with_relations(Partnership.objects.all()).filter(slug=slug).first()
    target = partnership_target(partnership) if partnership is not None else None
    authorize(user, target, see=Perm.PARTNERSHIP_EDIT, perm=perm)
    assert partnership is not None  # authorize refused a missing one
    return partnership
