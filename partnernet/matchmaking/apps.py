from django.apps import AppConfig


class MatchmakingConfig(AppConfig):
    name = "partnernet.matchmaking"
    label = "matchmaking"

    def ready(self):
        from . import services  # noqa: F401  (connects the profile re-index after an erasure)
