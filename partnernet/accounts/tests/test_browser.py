"""In Chromium: zero Content-Security-Policy violations across the main pages, and the
sign-in with a TOTP code works end to end."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnernet.accounts.models import User

pytestmark = pytest.mark.browser
PUBLIC_PAGES = [
    "/sv/",
    "/uk/partnerships/",
    "/en/partnerships/falun-kolomyia/",
    "/en/networks/democratic-resilience/",
    "/en/map/",
    "/en/municipalities/?q=Kherson",
    "/en/municipalities/2080/",
    "/open-data/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/en/no-such-page/",
]
SIGNED_IN_PAGES = ["/accounts/", "/accounts/2fa/", "/accounts/people/", "/sv/grants/", "/sv/queue/"]
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def watch(page):
    messages = []
    page.add_init_script(WATCH)
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return messages


def violations(page, console) -> list[str]:
    return list(page.evaluate("window.__csp || []")) + console


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def sign_in_with_totp(page, email: str, password: str, device: TOTPDevice) -> None:
    page.goto("/accounts/login/?next=/accounts/")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/login/verify/")
    page.locator("input[name=token]").fill(code_for(device))
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/")


def test_no_csp_violations_on_the_public_pages(page):
    console = watch(page)
    found = {}
    for url in PUBLIC_PAGES:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if violations(page, console):
            found[url] = violations(page, console)
        console.clear()
    assert found == {}


def test_staff_sign_in_with_a_totp_code_and_no_csp_violations_inside(page):
    from django.contrib.auth.hashers import make_password

    console = watch(page)
    officer = User.objects.get(email="officer@icld.example")
    User.objects.filter(pk=officer.pk).update(
        password=make_password("a long passphrase for the test")
    )
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    sign_in_with_totp(page, officer.email, "a long passphrase for the test", device)
    assert page.locator("h1").inner_text() in ("Mitt konto", "My account")
    found = {}
    for url in SIGNED_IN_PAGES:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if violations(page, console):
            found[url] = violations(page, console)
        console.clear()
    assert found == {}
