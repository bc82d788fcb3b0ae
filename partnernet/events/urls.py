"""A network's events, included at `/<lang>/networks/<slug>/` (namespace `events`): the list
at `events/`, one page per event, the manage pages and the .ics feeds. The catalogue's network
page (`networks/<slug>/`) matches only the bare address, so nothing here clashes with it."""

from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events.ics", views.network_ics, name="network_ics"),
    path("events/new/", views.event_create, name="create"),
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path("events/<int:pk>.ics", views.event_ics, name="ics"),
    path("events/<int:pk>/edit/", views.event_edit, name="edit"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("events/<int:pk>/register/", views.register, name="register"),
    path("events/<int:pk>/unregister/", views.unregister, name="unregister"),
    path("events/<int:pk>/registrations/", views.registrations, name="registrations"),
    path("events/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("events/<int:pk>/materials/", views.materials, name="materials"),
    path(
        "events/<int:pk>/materials/<int:document_pk>/",
        views.material_file,
        name="material_file",
    ),
]
