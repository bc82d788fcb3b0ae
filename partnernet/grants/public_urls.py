"""/<lang>/calls/: the public pages of calls, namespace `calls` (the officers' screens stay at
/<lang>/grants/calls/…)."""

from django.urls import path

from . import public_views as views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("<int:pk>/", views.call_detail, name="detail"),
]
