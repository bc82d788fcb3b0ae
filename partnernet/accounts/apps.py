from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "partnernet.accounts"
    label = "accounts"
