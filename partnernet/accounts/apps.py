from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "partnernet.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (session bookkeeping on sign-in and sign-out)
