from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "partnernet.events"
    label = "events"
