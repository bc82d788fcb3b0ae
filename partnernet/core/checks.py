"""System checks that refuse an unsafe production configuration."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from partnernet.lib.addresses import UNIX_SOCKET, parse_networks

WEAK_KEY_MIN_LENGTH = 50


@register(Tags.security, deploy=True)
def check_production_settings(app_configs, **kwargs) -> list[Error]:
    return production_setting_errors(
        debug=settings.DEBUG, secret_key=settings.SECRET_KEY, allowed_hosts=settings.ALLOWED_HOSTS
    )


@register()
def check_runtime_settings(app_configs, **kwargs) -> list[Error]:
    # Refuse to start at all when DEBUG is off but the configuration is unsafe.
    if settings.DEBUG:
        return []
    return production_setting_errors(
        debug=False, secret_key=settings.SECRET_KEY, allowed_hosts=settings.ALLOWED_HOSTS
    )


def production_setting_errors(
    *, debug: bool, secret_key: str, allowed_hosts: list[str]
) -> list[Error]:
    errors = []
    if debug:
        errors.append(Error("DEBUG must be 0 in production.", id="partnernet.E001"))
    if (
        secret_key == settings.DEMO_SECRET_KEY
        or len(set(secret_key)) < 5
        or len(secret_key) < WEAK_KEY_MIN_LENGTH
    ):
        errors.append(
            Error(
                "SECRET_KEY is the demo default or too weak: set a random value of 50+ characters.",
                id="partnernet.E002",
            )
        )
    if not allowed_hosts or "*" in allowed_hosts:
        errors.append(Error("ALLOWED_HOSTS must list the real host names.", id="partnernet.E003"))
    return errors


@register()
def check_trusted_proxies(app_configs, **kwargs) -> list[Error]:
    return trusted_proxy_errors(settings.TRUSTED_PROXIES)


def trusted_proxy_errors(entries: list[str]) -> list[Error]:
    """Every TRUSTED_PROXIES entry must be an address, a network or `unix`."""
    errors = []
    for entry in entries:
        if entry == UNIX_SOCKET:
            continue
        try:
            parse_networks((entry,))
        except ValueError:
            errors.append(
                Error(
                    f"TRUSTED_PROXIES: {entry!r} is neither an IP address nor a network "
                    "(e.g. 10.0.0.0/8).",
                    id="partnernet.E004",
                )
            )
    return errors
