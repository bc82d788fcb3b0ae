from django.apps import AppConfig


class MatchmakingConfig(AppConfig):
    name = "partnernet.matchmaking"
    label = "matchmaking"
