"""Sign-in lock-out answers 429 with Retry-After, and counts by the client address that
`partnernet.lib.addresses` decides (X-Forwarded-For only from a trusted proxy)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from partnernet.accounts.models import LoginFailure, SessionRecord

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.5"


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"email": email, "password": password}, **extra)


def via_proxy(client_ip: str, forged: str = "") -> dict:
    hops = f"{forged}, {client_ip}" if forged else client_ip
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": hops}


def fill_address(address: str, count: int = 50) -> None:
    for n in range(count):
        LoginFailure.objects.create(email=f"guess{n}@example.org", ip_address=address)


def test_a_wrong_password_is_400_not_429(client):
    response = sign_in(client, UserFactory().email, "wrong")
    assert response.status_code == 400 and "Retry-After" not in response


def test_a_locked_account_answers_429_with_the_seconds_until_it_opens(client):
    person = UserFactory()
    with time_machine.travel(timezone.now(), tick=False):
        for _attempt in range(10):
            response = sign_in(client, person.email, "wrong")
        assert response.status_code == 429  # the tenth failure closes sign-in at once
        assert response["Retry-After"] == str(15 * 60)
        assert "_auth_user_id" not in client.session
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        again = sign_in(client, person.email, PASSWORD, HTTP_ACCEPT_LANGUAGE="uk")
        assert again.status_code == 429
        assert 9 * 60 <= int(again["Retry-After"]) <= 10 * 60
        assert "Забагато невдалих спроб входу" in again.content.decode()
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert sign_in(client, person.email).status_code == 302


def test_a_forged_forwarded_header_does_not_escape_the_address_lock(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    fill_address("203.0.113.9")
    person = UserFactory()
    # Straight to the server (not through the proxy): the header is not believed.
    direct = sign_in(
        client, person.email, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.77"
    )
    assert direct.status_code == 429
    # Through the proxy, with a made-up hop in front of the real one: still the real one.
    proxied = sign_in(client, person.email, **via_proxy("203.0.113.9", forged="198.51.100.77"))
    assert proxied.status_code == 429


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    person = UserFactory()
    fill_address("203.0.113.9")
    assert sign_in(Client(), person.email, **via_proxy("203.0.113.9")).status_code == 429
    assert sign_in(Client(), person.email, **via_proxy("198.51.100.1")).status_code == 302


def test_without_trusted_proxies_everyone_behind_the_proxy_is_the_proxy(settings):
    settings.TRUSTED_PROXIES = []
    person = UserFactory()
    fill_address(PROXY)
    assert sign_in(Client(), person.email, **via_proxy("198.51.100.1")).status_code == 429


def test_failures_and_sessions_record_the_client_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    person = UserFactory()
    client = Client()
    sign_in(client, person.email, "wrong", **via_proxy("198.51.100.1", forged="6.6.6.6"))
    assert LoginFailure.objects.get(email=person.email).ip_address == "198.51.100.1"
    assert sign_in(client, person.email, **via_proxy("198.51.100.2")).status_code == 302
    assert SessionRecord.objects.get(user=person).ip_address == "198.51.100.2"


def test_wrong_two_factor_codes_lock_sign_in_with_429_too(client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .factories import officer

    staff = officer()
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    assert sign_in(client, staff.email)["Location"] == "/accounts/login/verify/"
    statuses = [
        client.post("/accounts/login/verify/", {"token": "000000"}).status_code for _ in range(10)
    ]
    assert statuses[:9] == [400] * 9 and statuses[9] == 429
    locked = client.post("/accounts/login/verify/", {"token": "123456"})
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
