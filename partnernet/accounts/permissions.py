"""The one permission layer: every view and API endpoint declares what it needs.

Views are decorated with one of the declarations below; `declared_permission(view)` reads the
declaration back, and the URL-coverage test fails for any route that has none (default deny).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

PERMISSION_ATTR = "partnernet_permission"


def _declare(view: Callable, permission: str) -> Callable:
    setattr(view, PERMISSION_ATTR, permission)
    return view


def public(view: Callable) -> Callable:
    """Anyone may call this view; it must only show published data."""
    return _declare(view, "public")


def authenticated(view: Callable) -> Callable:
    """Any signed-in person; object-level checks happen in the view's selector."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _declare(wrapper, "authenticated")


def staff_only(view: Callable) -> Callable:
    """Programme staff of the funder only."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return _declare(wrapper, "staff")


def declared_permission(view: Callable) -> str | None:
    return getattr(view, PERMISSION_ATTR, None)


def role_required(*roles: str) -> Callable[[Callable], Callable]:
    """A signed-in person holding at least one of `roles` (in any organisation or partnership).

    Object-level rules (their own partnership only) are then checked in the view's selector
    through `user_has_role(..., partnership=...)`.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _declare(wrapper, "role:" + ",".join(sorted(roles)))

    return decorator


def user_has_role(user, *roles: str, partnership=None, organisation=None) -> bool:
    """Whether `user` holds one of `roles`; scoped roles count only for their partnership.

    A role without a partnership (an officer's, or a coordinator's for the whole municipality)
    counts for every partnership of that organisation; superusers hold every role.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    assignments = user.roles.filter(role__in=roles)
    if organisation is not None:
        assignments = assignments.filter(organisation=organisation)
    if partnership is not None:
        from django.db.models import Q

        municipalities = [partnership.swedish_partner_id, partnership.partner_id]
        assignments = assignments.filter(
            Q(partnership=partnership)
            | Q(partnership__isnull=True, organisation__kind="funder")
            | Q(partnership__isnull=True, organisation__municipality_id__in=municipalities)
        )
    return assignments.exists()


def declare(permission: str) -> Callable[[Callable], Callable]:
    """Record a permission on a callable that enforces it elsewhere (a ninja `auth=` class,
    a check inside the service). Used for API operations: `@declare("token:own-partnership")`."""

    def decorator(view: Callable) -> Callable:
        return _declare(view, permission)

    return decorator


# Field-level rules -------------------------------------------------------------------------
# Who may see a partnership's private fields (`Partnership.private_fields`): the funder's
# officers and the people of the partnership itself; the public never does.
PRIVATE_FIELD_ROLES = (
    "programme_officer",
    "finance_officer",
    "reviewer",
    "network_coordinator",
    "municipal_coordinator",
    "project_member",
    "steering_group_member",
)


def can_see_field(user, partnership, field: str) -> bool:
    """Whether `user` may see `field` of `partnership` (private fields are hidden from the
    public and from people of other partnerships)."""
    if partnership.is_public_field(field):
        return True
    return user_has_role(user, *PRIVATE_FIELD_ROLES, partnership=partnership)


def can_see_other_reviews(*, user, has_submitted_own: bool) -> bool:
    """A reviewer sees the other reviews of an application only after submitting their own;
    officers always see them. (The grants app applies this in `reviews_visible_to`.)"""
    if user_has_role(user, "programme_officer"):
        return True
    return has_submitted_own
