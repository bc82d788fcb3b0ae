"""Every route declares its permission, and the declarations hold: route × role × ownership."""

import re

import pytest
from django.apps import apps
from django.http import HttpResponse
from django.urls import include, path

from partnernet.accounts.models import User
from partnernet.accounts.permissions import public, user_has_role
from partnernet.accounts.urlcheck import is_exempt, undeclared_routes, walk
from partnernet.partnerships.models import Partnership

OWN = "falun-kolomyia"
PRINCIPALS = {
    "anonymous": None,
    "coordinator-own": "falun@demo.example",  # municipal coordinator of falun-kolomyia
    "coordinator-other": "umea@demo.example",  # municipal coordinator of umea-kherson
    "project-member": "member@demo.example",
    "officer": "officer@icld.example",
    "reviewer": "reviewer@icld.example",
}
ROUTES = [r for r in walk() if not is_exempt(r)]


def test_every_route_and_api_operation_declares_its_permission():
    assert undeclared_routes() == []


def _forgotten(request):
    return HttpResponse("no declaration")


def test_a_route_without_a_declaration_fails_the_check():
    synthetic = [
        path("fine/", public(lambda request: HttpResponse())),
        path("nested/", include([path("forgotten/<int:pk>/", _forgotten)])),
    ]
    assert undeclared_routes(synthetic) == ["/nested/forgotten/<int:pk>/ (_forgotten)"]


def test_a_ninja_operation_without_a_declaration_fails_the_check():
    from ninja import NinjaAPI

    api = NinjaAPI(urls_namespace="synthetic-check")

    @api.get("/declared")
    @public
    def declared(request):
        return {}

    @api.get("/forgotten")
    def forgotten(request):
        return {}

    assert undeclared_routes([path("api/", api.urls)]) == [
        "/api/forgotten (synthetic-check:forgotten)"
    ]


def _object(model: str, **filters):
    try:
        return apps.get_model(model)._default_manager.filter(**filters).order_by("pk").first()
    except LookupError:
        return None


def sample(route) -> tuple[dict, Partnership | None] | None:
    """Values for the route's parameters and the partnership they belong to (None: no object)."""
    own = Partnership.objects.get(slug=OWN)
    name = route.name or ""
    values, owner = {}, None
    for kwarg in route.kwargs:
        if kwarg == "slug":
            is_network = "network" in name or re.search(r"(networks|queue)/<", route.route)
            values[kwarg] = "democratic-resilience" if is_network else OWN
            owner = None if is_network else own
        elif kwarg == "name" and route.route.startswith("open-data/"):
            values[kwarg] = "partnerships"
        elif kwarg == "code":
            values[kwarg] = "2080"
        elif kwarg in ("object_type", "object_id"):
            values.update(object_type="partnerships.partnership", object_id=own.pk)
            owner = own
        elif kwarg == "pk" and name.startswith("accounts:person"):
            values[kwarg] = User.objects.get(email=PRINCIPALS["coordinator-own"]).pk
        elif kwarg == "pk" and name.startswith("grants:call"):
            call = _object("grants.Call")
            if call is None:
                return None
            values[kwarg] = call.pk
        elif kwarg == "pk" and name in (
            "matchmaking:entry",
            "matchmaking:move",
            "matchmaking:reorder",
        ):
            entry = _object("matchmaking.QueueEntry", municipality__code="2080")
            if entry is None:
                return None
            values[kwarg], owner = entry.pk, own
        elif kwarg == "pk" and name == "matchmaking:letter":
            letter = _object("matchmaking.LetterOfIntent", swedish_municipality__code="2080")
            if letter is None:
                return None
            values[kwarg], owner = letter.pk, own
        elif kwarg == "pk" and name.startswith("grants:"):
            application = _object("grants.Application", partnership=own)
            if application is None:
                return None
            values[kwarg], owner = application.pk, own
        else:
            return None  # no sample known for this parameter: reported as skipped
    return values, owner


def allowed_roles(permission: str) -> list[str] | None:
    match = re.match(r"role:([\w,]+)", permission)
    return match.group(1).split(",") if match else None


def expectation(permission: str, user, owner, has_object: bool = False) -> str:
    """'allow', 'deny' or 'any' (object-level rules beyond what the declaration says)."""
    if permission == "public":
        return "allow"
    if user is None:
        return "deny"
    if permission == "authenticated":
        # Object-level rules live in the view's selector: only pages without an object are sure.
        return "any" if has_object else "allow"
    if permission == "staff":
        return "allow" if user.is_staff else "deny"
    roles = allowed_roles(permission)
    if roles is None:
        return "any"
    if not user_has_role(user, *roles, partnership=owner):
        return "deny"
    # Held through the funder (officers) or for this very partnership: must get in. Reviewers
    # and members may still be refused by an object rule (e.g. not assigned): not asserted.
    officer = user_has_role(user, "programme_officer", "finance_officer")
    coordinator = (
        owner is not None
        and "municipal_coordinator" in roles
        and user_has_role(user, "municipal_coordinator", partnership=owner)
    )
    return "allow" if officer or coordinator else "any"


def denied(response, method: str) -> bool:
    """Refused, or shown nothing: a login redirect, 401/403/404, any 4xx to a write (nothing
    was written), or an empty JSON list (a "my …" list that filters to the person's own)."""
    status = response.status_code
    if status in (401, 403, 404) or (method != "get" and 400 <= status < 500):
        return True
    if status == 302 and "/accounts/login/?next=" in response.get("Location", ""):
        return True
    return (
        status == 200
        and response.get("Content-Type", "").startswith("application/json")
        and response.json() == []
    )


@pytest.mark.django_db
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize(
    "route", ROUTES, ids=lambda r: f"{r.name or r.route}[{','.join(r.methods)}]"
)
def test_permission_matrix(client, route, principal):
    found = sample(route)
    if found is None:
        pytest.skip(f"no sample object for /{route.route}")
    values, owner = found
    user = User.objects.get(email=PRINCIPALS[principal]) if PRINCIPALS[principal] else None
    if user is not None:
        client.force_login(user)
    method = (route.methods or ["GET"])[0].lower()
    kwargs = (
        {"content_type": "application/json", "data": "{}"}
        if method in ("post", "put", "patch")
        else {}
    )
    response = getattr(client, method)(route.path(values), **kwargs)
    if response.status_code == 405 and not route.methods:  # a POST-only page: try it
        method, response = "post", client.post(route.path(values), {})
    assert response.status_code < 500
    expected = expectation(route.permission, user, owner, has_object=bool(values))
    if expected == "deny":
        assert denied(response, method), (
            f"{principal} got {response.status_code} on {route.path(values)}"
        )
    elif expected == "allow" and route.permission != "public":
        refused = denied(response, "get")  # for a write, a 4xx on an empty body is fine
        assert not refused, f"{principal} refused ({response.status_code}) on {route.path(values)}"
    elif expected == "allow":
        assert response.status_code not in (401, 403)
