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
