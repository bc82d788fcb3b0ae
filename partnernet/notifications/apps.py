from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "partnernet.notifications"
    label = "notifications"
