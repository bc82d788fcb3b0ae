from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnernet.accounts.models import LoginFailure
from partnernet.accounts.services import recovery_codes_generate

from .factories import PASSWORD, UserFactory, officer

pytestmark = pytest.mark.django_db


def sign_in(client, email, password=PASSWORD, next=None, **extra):
    data = {"email": email, "password": password} | ({"next": next} if next else {})
    return client.post("/accounts/login/", data, **extra)


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return (
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"
    )


def test_a_person_signs_in_with_their_email_address(client):
    person = UserFactory()
    response = sign_in(client, person.email.upper())
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 200


@pytest.mark.parametrize("next_url", ["0", "home", "https://evil.example/", "//evil.example/"])
def test_a_next_that_is_no_path_on_this_site_leads_to_the_start_page(client, next_url):
    person = UserFactory()
    response = sign_in(client, person.email, next=next_url)
    assert (response.status_code, response["Location"]) == (
        302,
        "/sv/me/",
    )  # the person's start page, in their language


def test_a_next_path_on_this_site_is_followed(client):
    response = sign_in(client, UserFactory().email, next="/en/partnerships/")
    assert (response.status_code, response["Location"]) == (302, "/en/partnerships/")


def test_a_wrong_password_is_refused_with_a_clear_message(client):
    person = UserFactory()
    response = sign_in(client, person.email, "wrong", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "The e-mail address or the password is wrong." in response.content.decode()


def test_ten_wrong_passwords_lock_the_account_then_it_opens_again(client):
    person = UserFactory()
    for _ in range(10):
        sign_in(client, person.email, "wrong")
    response = sign_in(client, person.email, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert sign_in(client, person.email).status_code == 302


def test_the_lockout_message_is_translated(client):
    person = UserFactory()
    for _ in range(10):
        sign_in(client, person.email, "wrong")
    swedish = sign_in(client, person.email, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    ukrainian = sign_in(client, person.email, HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "För många misslyckade inloggningar" in swedish
    assert "Забагато невдалих спроб входу" in ukrainian


def test_many_failures_from_one_address_lock_that_address(client):
    for n in range(50):
        LoginFailure.objects.create(email=f"guess{n}@example.org", ip_address="127.0.0.1")
    person = UserFactory()
    response = sign_in(client, person.email, HTTP_ACCEPT_LANGUAGE="en")
    assert "Too many failed sign-ins" in response.content.decode()


def test_staff_without_an_authenticator_must_set_one_up_first(client):
    staff = officer()
    response = sign_in(client, staff.email)
    assert response["Location"] == "/accounts/2fa/"
    assert client.get("/en/partnerships/")["Location"] == "/accounts/2fa/"


def test_staff_sign_in_asks_for_a_totp_code(client):
    staff = officer()
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    response = sign_in(client, staff.email)
    assert response["Location"] == "/accounts/login/verify/"
    assert "_auth_user_id" not in client.session
    wrong = client.post(
        "/accounts/login/verify/", {"token": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    # django-otp throttles a device after a wrong code (1 s, then 2 s, ...): let it pass.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    right = client.post("/accounts/login/verify/", {"token": code_for(device)})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.session.get("otp_device_id")


def test_a_recovery_code_signs_in_once(client):
    staff = officer()
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    codes = recovery_codes_generate(user=staff)
    sign_in(client, staff.email)
    assert client.post("/accounts/login/verify/", {"token": codes[0]}).status_code == 302
    client.logout()
    sign_in(client, staff.email)
    assert client.post("/accounts/login/verify/", {"token": codes[0]}).status_code == 400


def test_setting_up_the_authenticator_gives_recovery_codes(client):
    staff = officer()
    sign_in(client, staff.email)
    page = client.get("/accounts/2fa/")
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    response = client.post("/accounts/2fa/", {"token": code_for(device)})
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert client.get("/en/partnerships/").status_code == 200


def test_the_admin_is_closed_to_staff_without_two_factor(client):
    staff = officer(is_superuser=True)
    client.force_login(staff)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/2fa/"
    assert "/admin/" not in response.request["PATH_INFO"]


def test_the_admin_opens_to_staff_signed_in_with_two_factor(client):
    staff = officer(is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    sign_in(client, staff.email)
    client.post("/accounts/login/verify/", {"token": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_next_addresses_on_other_sites_are_ignored(client):
    person = UserFactory()
    response = sign_in(client, person.email, next="https://evil.example/")
    response = client.post(
        "/accounts/login/?next=https://evil.example/", {"email": person.email, "password": PASSWORD}
    )
    assert response["Location"] == "/sv/me/"  # their start page, in their language
