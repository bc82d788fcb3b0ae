"""/municipalities/: the registry's public pages, namespace `municipalities`."""

from django.urls import path

from . import municipality_views as views

app_name = "municipalities"
urlpatterns = [
    path("", views.municipality_search, name="search"),
    path("add/", views.government_add, name="add"),  # before <code>: "add" is no code
    path("<str:code>/", views.municipality_detail, name="detail"),
]
