import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from partnernet.accounts.models import Role, RoleAssignment, User

from ..testing import sign_in
from .factories import UserFactory

pytestmark = pytest.mark.django_db
STRONG = "a long and unusual passphrase 77"


def createuser(*args) -> str:
    out = io.StringIO()
    call_command("createuser", *args, stdout=out)
    return out.getvalue()


def link_path(text: str) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/set/\S+/)", text).group(1)


def test_createuser_prints_a_one_time_link_that_sets_the_password(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        output = createuser(
            "--email",
            "new.coordinator@example.org",
            "--role",
            "municipal_coordinator",
            "--organisation",
            "2080",
        )
    person = User.objects.get(email="new.coordinator@example.org")
    assert RoleAssignment.objects.get(user=person).organisation.municipality.code == "2080"
    assert not person.has_usable_password()
    assert len(mail.outbox) == 1
    path = link_path(output)
    assert client.get(path).status_code == 200
    response = client.post(path, {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    assert client.login(email="new.coordinator@example.org", password=STRONG)
    # One-time: the same link no longer works (the page says so; nothing is at this address).
    assert client.get(path).status_code == 404


def test_createuser_for_the_funder_makes_staff():
    createuser(
        "--email", "officer2@example.org", "--role", "programme_officer", "--organisation", "funder"
    )
    person = User.objects.get(email="officer2@example.org")
    assert person.is_staff
    assert person.roles.get().role == Role.PROGRAMME_OFFICER


def test_createuser_refuses_an_unknown_organisation():
    with pytest.raises(CommandError, match="XX999"):
        createuser("--email", "x@example.org", "--role", "reviewer", "--organisation", "XX999")
    assert not User.objects.filter(email="x@example.org").exists()


def test_django_password_validators_apply(client):
    person = UserFactory(email="anna.svensson@example.org")
    from partnernet.accounts.services import password_set_path

    path = password_set_path(user=person)
    for weak in ["short", "password123456", "12345678901234", "anna.svensson"]:
        response = client.post(path, {"password1": weak, "password2": weak})
        assert response.status_code == 400, weak
    response = client.post(path, {"password1": STRONG, "password2": STRONG + "x"})
    assert response.status_code == 400


def test_password_reset_sends_a_link_only_to_known_addresses(
    client, django_capture_on_commit_callbacks
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password/reset/", {"email": person.email})
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert [m.to for m in mail.outbox] == [[person.email]]
    path = link_path(mail.outbox[0].body)
    assert client.post(path, {"password1": STRONG, "password2": STRONG}).status_code == 302


def test_the_staff_page_invites_a_person(client, django_capture_on_commit_callbacks):
    from .factories import officer

    sign_in(client, officer())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/people/",
            {
                "email": "invitee@example.org",
                "role": "reviewer",
                "organisation": "funder",
                "full_name": "In Vitee",
            },
        )
    assert response.status_code == 200
    assert "/accounts/password/set/" in response.context["link"]
    assert User.objects.get(email="invitee@example.org").roles.get().role == "reviewer"
    assert len(mail.outbox) == 1


def test_the_people_page_is_for_staff_only(client):
    client.force_login(UserFactory())
    assert client.get("/accounts/people/").status_code == 403


def test_the_people_list_spends_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    from .factories import officer

    sign_in(client, officer())
    UserFactory.create_batch(30)
    with django_assert_max_num_queries(12):
        assert client.get("/accounts/people/").status_code == 200
