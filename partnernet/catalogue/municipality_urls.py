"""/municipalities/: the registry's public pages, namespace `municipalities`."""

from django.urls import path

from . import municipality_views as views

app_name = "municipalities"
urlpatterns = [
    path("", views.municipality_search, name="search"),
    path("<str:code>/", views.municipality_detail, name="detail"),
]
