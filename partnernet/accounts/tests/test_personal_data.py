import json

import pytest

from partnernet.accounts.models import Role, RoleAssignment, User
from partnernet.accounts.services import person_erase
from partnernet.audit.models import AuditEntry
from partnernet.audit.services import audit_record

from ..testing import sign_in, verify_session
from .factories import PASSWORD, UserFactory, funder, officer

pytestmark = pytest.mark.django_db


def test_a_person_downloads_everything_held_about_them(client):
    person = UserFactory(full_name="Olena Kovalenko")
    RoleAssignment.objects.create(user=person, role=Role.REVIEWER, organisation=funder())
    client.login(email=person.email, password=PASSWORD)
    verify_session(client, person)  # a reviewer is staff: their session needs two factors
    response = client.get("/accounts/export/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["person"]["full_name"] == "Olena Kovalenko"
    assert "password" not in data["person"]
    assert data["related"]["accounts.roleassignment.user"][0]["role"] == "reviewer"
    assert data["related"]["accounts.sessionrecord.user"]
    assert "session_key" not in data["related"]["accounts.sessionrecord.user"][0]


def test_staff_export_a_person_and_others_may_not(client):
    person = UserFactory()
    client.force_login(person)
    assert client.get(f"/accounts/people/{person.pk}/export/").status_code == 403
    sign_in(client, officer())
    assert (
        json.loads(client.get(f"/accounts/people/{person.pk}/export/").content)["person"]["email"]
        == person.email
    )


def test_erasure_anonymises_the_person_and_keeps_their_records():
    person = UserFactory(full_name="Taras Shevchenko", email="taras@example.org")
    role = RoleAssignment.objects.create(user=person, role=Role.REVIEWER, organisation=funder())
    audit_record(actor=person, action="submit", obj=role, reason="review done")
    person_erase(user=person, actor=None, reason="asked by the person")
    person.refresh_from_db()
    assert person.email.endswith("@invalid") and not person.full_name and not person.is_active
    assert not person.has_usable_password()
    assert RoleAssignment.objects.filter(pk=role.pk).exists()
    entries = AuditEntry.objects.filter(actor=person)
    assert entries.exists() and all("Taras" not in e.actor_label for e in entries)
    assert not AuditEntry.objects.filter(object_label__contains="taras@").exists()
    assert not User.objects.filter(email="taras@example.org").exists()


def test_staff_erase_a_person_through_the_page(client):
    person = UserFactory()
    sign_in(client, officer())
    assert client.post(f"/accounts/people/{person.pk}/erase/", {"reason": "x"}).status_code == 400
    response = client.post(
        f"/accounts/people/{person.pk}/erase/", {"confirm": "on", "reason": "request"}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=person.pk).email.endswith("@invalid")
