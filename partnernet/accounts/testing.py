"""Test helpers for every app: signing a person in the way a real sign-in would.

Staff powers count only in a session verified by two factors (`accounts.permissions`), so a test
that acts as an officer signs them in with `sign_in`, which also verifies the session with an
authenticator (created when the person has none), exactly what `/accounts/login/verify/` leaves
in the session. `sign_in(..., verified=False)` gives the unverified session of a person who has
not given their code yet.
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from .permissions import requires_two_factor


def verify_session(client, user) -> TOTPDevice:
    """Mark the client's session as verified by `user`'s authenticator."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def sign_in(client, user, *, verified: bool = True):
    """`client.force_login(user)`, verified by two factors when the person needs them."""
    client.force_login(user)
    if verified and requires_two_factor(user):
        verify_session(client, user)
    return client


def one_time_code(user) -> str:
    """A code `user` can give at `/accounts/login/verify/` (for browser tests that sign in
    through the real page): they get an authenticator if they have none, and a fresh
    single-use recovery code each time (a TOTP code cannot be used twice in 30 seconds)."""
    import secrets

    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    code = secrets.token_hex(5)
    StaticToken.objects.create(device=device, token=code)
    return code
