"""/join/: a municipality asks by itself to join a network's queue, namespace `join`."""

from django.urls import path

from . import join_views

app_name = "join"
urlpatterns = [
    path("", join_views.join_start, name="start"),
    path("confirm/<str:key>/", join_views.join_confirm, name="confirm"),
]
