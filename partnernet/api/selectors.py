"""Reads of the API app: tokens, and the partnerships a person coordinates."""

from django.db.models import Prefetch, Q, QuerySet

from partnernet.accounts.models import Role, RoleAssignment
from partnernet.accounts.permissions import user_has_role
from partnernet.partnerships.models import Goal, Partnership, Tag

from .models import ApiToken
from .services import TOKEN_PREFIX, token_hash

COORDINATOR_ROLES = (Role.MUNICIPAL_COORDINATOR,)


def api_token_for_raw(*, raw: str) -> ApiToken | None:
    """The active token matching `raw`, with its user, or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def api_token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def api_token_get(*, user, pk: int) -> ApiToken:
    """One of the user's own tokens (DoesNotExist for anyone else's)."""
    return api_token_list(user=user).get(pk=pk)


def _with_relations(queryset: QuerySet[Partnership]) -> QuerySet[Partnership]:
    return queryset.select_related(
        "swedish_partner__country", "partner__country", "network", "area"
    ).prefetch_related(
        Prefetch("goals", queryset=Goal.objects.order_by("number")),
        Prefetch("tags", queryset=Tag.objects.order_by("slug")),
    )


def coordinated_partnerships(*, user) -> QuerySet[Partnership]:
    """Partnerships (published or not) where `user` is a municipal coordinator.

    Mirrors `user_has_role(..., partnership=p)`: a role scoped to the partnership, a funder's
    role without scope, or a municipality's role without scope on either side.
    """
    if not getattr(user, "is_authenticated", False):
        return Partnership.objects.none()
    base = _with_relations(Partnership.objects.all()).order_by("slug")
    if user.is_superuser:
        return base
    roles = RoleAssignment.objects.filter(user=user, role__in=COORDINATOR_ROLES)
    if roles.filter(partnership__isnull=True, organisation__kind="funder").exists():
        return base
    scoped = roles.filter(partnership__isnull=False).values("partnership_id")
    municipalities = roles.filter(partnership__isnull=True).values("organisation__municipality_id")
    return base.filter(
        Q(id__in=scoped)
        | Q(swedish_partner_id__in=municipalities)
        | Q(partner_id__in=municipalities)
    )


def coordinated_partnership_get(*, user, slug: str) -> Partnership:
    """One partnership the user coordinates; DoesNotExist otherwise, PermissionError if they
    may see it exists but not coordinate it is not distinguished (no information leak)."""
    partnership = coordinated_partnerships(user=user).get(slug=slug)
    # The permission layer stays the single source of truth for the final decision.
    if not user_has_role(user, *COORDINATOR_ROLES, partnership=partnership):
        raise Partnership.DoesNotExist
    return partnership
