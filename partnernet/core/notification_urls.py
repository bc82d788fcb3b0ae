"""/<lang>/notifications/: namespace `notifications` (the views are in core.notification_views)."""

from django.urls import path

from . import notification_views as views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("read/", views.notifications_read, name="read_all"),
    path("settings/", views.notification_settings, name="settings"),
]
