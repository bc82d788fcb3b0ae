from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "partnernet.conversations"
    label = "conversations"
