"""Walk every URL pattern (and every django-ninja API operation) with its declared permission.

The URL-coverage test fails for any route whose view has no declaration (default deny); the
permission-matrix test takes its routes from this walk (its expected outcomes come from its own
hand-written policy, never from the declarations). Exemptions live here, in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

from django.urls import URLPattern, URLResolver, get_resolver

from .permissions import declared_permission

# The only routes that need no declaration, and why.
EXEMPT_PREFIXES = {
    "admin/": "Django admin: PartnernetAdminSite admits only staff signed in with two factors",
    "static/": "static files",
    "media/": "uploaded files are served by views that declare their own permission",
}
# django-ninja's own description pages: the API description is public by design.
EXEMPT_NINJA_VIEWS = {"openapi_json", "openapi_view", "default_home"}
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass
class Route:
    route: str  # e.g. "sv/partnerships/<slug:slug>/"
    name: str | None
    view: object
    permission: str | None
    methods: list[str] = field(default_factory=list)  # API operations only

    @property
    def kwargs(self) -> list[str]:
        return [m.group("name") for m in CONVERTER.finditer(self.route)]

    def path(self, values: dict[str, str]) -> str:
        return "/" + CONVERTER.sub(lambda m: str(values[m.group("name")]), self.route)


def _ninja_path_view(callback):
    """The ninja PathView behind an API URL (its view is a closure over the PathView)."""
    from ninja.operation import PathView

    for cell in getattr(callback, "__closure__", None) or ():
        try:
            if isinstance(cell.cell_contents, PathView):
                return cell.cell_contents
        except ValueError:  # an empty cell
            continue
    return None


def _pattern_text(pattern) -> str:
    text = str(pattern.pattern)
    return text.lstrip("^").rstrip("$").replace("\\Z", "")


def walk(patterns=None, prefix: str = "", namespace: str = "", _seen=None) -> Iterator[Route]:
    """Every route; an API path with several operations (GET and PATCH) gives one route per
    operation, named after the operation."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    seen = set() if _seen is None else _seen
    for entry in patterns:
        route = prefix + _pattern_text(entry)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, route, ns, seen)
            continue
        assert isinstance(entry, URLPattern)
        name = f"{namespace}{entry.name}" if entry.name else None
        path_view = _ninja_path_view(entry.callback)
        if path_view is None:
            yield Route(route, name, entry.callback, declared_permission(entry.callback))
            continue
        # ninja registers one URL pattern per operation name, each with the whole PathView.
        for operation in path_view.operations:
            if id(operation) in seen:
                continue
            seen.add(id(operation))
            view = operation.view_func
            yield Route(
                route,
                f"{namespace}{getattr(operation, 'url_name', None) or view.__name__}",
                view,
                declared_permission(view),
                list(operation.methods),
            )


def is_exempt(route: Route) -> bool:
    if any(route.route.startswith(prefix) for prefix in EXEMPT_PREFIXES):
        return True
    view = route.view
    return isinstance(view, partial) and view.func.__name__ in EXEMPT_NINJA_VIEWS


def undeclared_routes(patterns=None) -> list[str]:
    """Every route (or API operation) without a permission declaration: must be empty."""
    return [
        f"/{r.route} ({r.name or getattr(r.view, '__name__', r.view)})"
        for r in walk(patterns)
        if r.permission is None and not is_exempt(r)
    ]
