"""Authority, tried as an attacker would: staff who are not programme officers cannot invite,
give themselves a role, or export or erase anyone; an officer inviting an existing account never
gets its password link; a person made staff while signed in must verify before the power works.
"""

import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnernet.accounts import permissions
from partnernet.accounts.models import Organisation, Role, RoleAssignment, User
from partnernet.accounts.permissions import AccessRefused, Perm, Scope
from partnernet.accounts.services import role_grant, user_invite
from partnernet.accounts.testing import sign_in
from partnernet.api.services import api_token_create
from partnernet.partnerships.models import Partnership

from .factories import UserFactory

pytestmark = pytest.mark.django_db
NOT_OFFICERS = ["reviewer@icld.example", "finance@icld.example", "network@icld.example"]
LINK = re.compile(r"/accounts/password/set/")


def funder() -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.FUNDER)


def roles_of(user: User) -> set[str]:
    return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))


def invite(client: Client, email: str, role: str = "reviewer", organisation: str = "funder"):
    client.cookies["django_language"] = "en"  # the officer switched the page to English
    return client.post(
        "/accounts/people/",
        {"email": email, "role": role, "organisation": organisation},
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.parametrize("email", NOT_OFFICERS)
def test_other_staff_cannot_invite_anyone(client, email, django_capture_on_commit_callbacks):
    sign_in(client, User.objects.get(email=email))
    assert client.get("/accounts/people/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, "newcomer@example.org")
    assert response.status_code == 403
    assert not User.objects.filter(email="newcomer@example.org").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("email", NOT_OFFICERS)
def test_other_staff_cannot_give_themselves_a_role(client, email):
    person = User.objects.get(email=email)
    before = roles_of(person)
    sign_in(client, person)
    assert invite(client, email, role="programme_officer").status_code == 403
    with pytest.raises(AccessRefused):
        role_grant(actor=person, user=person, role=Role.PROGRAMME_OFFICER, organisation=funder())
    with pytest.raises(AccessRefused):
        user_invite(
            email=email, role=Role.PROGRAMME_OFFICER, organisation=funder(), invited_by=person
        )
    assert roles_of(person) == before


@pytest.mark.parametrize("email", NOT_OFFICERS)
def test_other_staff_cannot_export_or_erase_another_person(client, email):
    other = User.objects.get(email="falun@demo.example")
    sign_in(client, User.objects.get(email=email))
    assert client.get(f"/accounts/people/{other.pk}/export/").status_code == 403
    response = client.post(
        f"/accounts/people/{other.pk}/erase/", {"confirm": "on", "reason": "takeover"}
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.email == "falun@demo.example" and other.is_active


def test_everyone_exports_their_own_data_but_no_one_elses(client):
    person = User.objects.get(email="falun@demo.example")
    sign_in(client, person)
    assert client.get("/accounts/export/").json()["person"]["email"] == person.email
    other = User.objects.get(email="umea@demo.example")
    assert client.get(f"/accounts/people/{other.pk}/export/").status_code == 403


def test_an_officer_inviting_an_existing_account_gets_no_password_link(
    client, django_capture_on_commit_callbacks
):
    officer = User.objects.get(email="officer@icld.example")
    existing = User.objects.get(email="reviewer@icld.example")
    password = existing.password
    sign_in(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, existing.email, role="finance_officer")
    assert response.status_code == 200
    assert response.context["link"] is None
    assert not LINK.search(response.content.decode())
    existing.refresh_from_db()
    assert Role.FINANCE_OFFICER in roles_of(existing) and existing.password == password
    [message] = mail.outbox
    assert message.to == [existing.email] and not LINK.search(message.body)
    assert "/accounts/login/" in message.body


def test_an_officer_inviting_a_new_person_sees_their_one_time_link(
    client, django_capture_on_commit_callbacks
):
    sign_in(client, User.objects.get(email="officer@icld.example"))
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, "new.reviewer@example.org")
    assert response.status_code == 200 and LINK.search(response.context["link"])
    [message] = mail.outbox
    assert message.to == ["new.reviewer@example.org"] and LINK.search(message.body)


def test_createuser_for_an_existing_account_prints_no_link(django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "createuser", "--email", "officer@icld.example", "--role", "reviewer", stdout=out
        )
    assert not LINK.search(out.getvalue()) and "already existed" in out.getvalue()
    assert Role.REVIEWER in roles_of(User.objects.get(email="officer@icld.example"))
    assert [m.to for m in mail.outbox] == [["officer@icld.example"]]


def test_an_officer_cannot_act_on_their_own_account(client):
    officer = User.objects.get(email="officer@icld.example")
    sign_in(client, officer)
    response = invite(client, officer.email, role="finance_officer")
    assert response.status_code == 403 and "own roles" in response.content.decode()
    assert Role.FINANCE_OFFICER not in roles_of(officer)
    response = client.post(
        f"/accounts/people/{officer.pk}/erase/", {"confirm": "on", "reason": "x"}
    )
    assert response.status_code == 403
    officer.refresh_from_db()
    assert officer.is_active


def test_roles_fit_their_organisation():
    officer = User.objects.get(email="officer@icld.example")
    falun = Organisation.objects.get(municipality__code="2080")
    person = UserFactory()
    with pytest.raises(ValidationError):
        role_grant(actor=officer, user=person, role=Role.PROGRAMME_OFFICER, organisation=falun)
    with pytest.raises(ValidationError):
        role_grant(
            actor=officer, user=person, role=Role.MUNICIPAL_COORDINATOR, organisation=funder()
        )
    role_grant(actor=officer, user=person, role=Role.MUNICIPAL_COORDINATOR, organisation=falun)
    assert roles_of(person) == {Role.MUNICIPAL_COORDINATOR}


def test_nobody_hands_out_a_power_they_do_not_hold(monkeypatch):
    """Were network coordinators allowed to grant roles, they still could not make anyone a
    programme officer or a finance officer: they do not hold those powers everywhere."""
    network = User.objects.get(email="network@icld.example")
    assert not any(permissions.may_grant(network, role) for role in Role.values)
    extended = {**permissions.POLICY[Role.NETWORK_COORDINATOR], Perm.ROLE_GRANT: Scope.EVERYWHERE}
    monkeypatch.setitem(permissions.POLICY, Role.NETWORK_COORDINATOR, extended)
    permissions.forget(network)
    assert not permissions.may_grant(network, Role.PROGRAMME_OFFICER)
    assert not permissions.may_grant(network, Role.FINANCE_OFFICER)
    assert permissions.may_grant(network, Role.NETWORK_COORDINATOR)
    officer = User.objects.get(email="officer@icld.example")
    assert all(permissions.may_grant(officer, role) for role in Role.values)


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_a_coordinator_made_staff_while_signed_in_must_verify_first(client):
    coordinator = User.objects.get(email="falun@demo.example")
    client.force_login(coordinator)
    assert client.get("/sv/grants/").status_code == 200
    assert client.get("/accounts/people/").status_code == 403
    officer = User.objects.get(email="officer@icld.example")
    role_grant(actor=officer, user=coordinator, role=Role.PROGRAMME_OFFICER, organisation=funder())
    # The same session, the next request: held at the two-factor step, on every page.
    for url in ["/accounts/people/", f"/accounts/people/{officer.pk}/export/", "/sv/grants/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/", url
    # Without the hold, the permission layer itself refuses: the session is not verified.
    unverified = permissions.mark_unverified(User.objects.get(pk=coordinator.pk))
    assert permissions.holds(unverified, Perm.APPLICATION_WRITE)  # their own role still works
    assert not permissions.holds(unverified, Perm.PEOPLE_INVITE)
    # They set up an authenticator; from then on the new power works.
    assert client.get("/accounts/2fa/").status_code == 200
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert client.post("/accounts/2fa/", {"token": code_for(device)}).status_code == 200
    assert client.get("/accounts/people/").status_code == 200


def test_staff_with_an_authenticator_verify_the_session_with_a_code(client):
    """A staff person whose session is not verified but who has an authenticator (set up in
    another session) is asked for a code, and comes back where they were going."""
    officer = User.objects.get(email="officer@icld.example")
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    client.force_login(officer)
    response = client.get("/accounts/people/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/verify/"
    response = client.post("/accounts/login/verify/", {"token": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/accounts/people/"
    assert client.get("/accounts/people/").status_code == 200


def test_an_api_token_carries_no_staff_power():
    officer = User.objects.get(email="officer@icld.example")
    _token, raw = api_token_create(user=officer, name="script")
    from partnernet.api.auth import TokenAuth

    request = RequestFactory().get("/api/v1/me/partnerships", HTTP_AUTHORIZATION=f"Bearer {raw}")
    request.user = AnonymousUser()
    user = TokenAuth().authenticate(request, raw)
    assert user == officer and not user.is_verified()
    assert not permissions.holds(user, Perm.PEOPLE_INVITE)
    response = Client().get(
        "/api/v1/me/partnerships/falun-kolomyia", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")


def test_object_scope_holds_for_coordinators():
    """A coordinator acts for their own municipality's objects only."""
    falun = User.objects.get(email="falun@demo.example")
    own = Partnership.objects.get(slug="falun-kolomyia")
    other = Partnership.objects.get(slug="umea-kherson")
    assert permissions.may(falun, Perm.PARTNERSHIP_EDIT, permissions.partnership_target(own))
    assert not permissions.may(falun, Perm.PARTNERSHIP_EDIT, permissions.partnership_target(other))
    own_side = permissions.municipality_target(own.swedish_partner_id)
    assert permissions.may(falun, Perm.QUEUE_VIEW, own_side)
    assert not permissions.may(
        falun, Perm.QUEUE_VIEW, permissions.municipality_target(other.swedish_partner_id)
    )
    assert not permissions.may(falun, Perm.QUEUE_MANAGE, own_side)
