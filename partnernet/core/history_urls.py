"""/audit/: the history pages, namespace `audit` (the views are in core.history_views)."""

from django.urls import path

from . import history_views as views

app_name = "audit"
urlpatterns = [
    path("<str:object_type>/<str:object_id>/", views.history, name="history"),
]
