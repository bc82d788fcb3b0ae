from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("datapackage.json", views.datapackage, name="datapackage"),
    path("catalog.jsonld", views.catalog, name="catalog"),
    path("iati-activities.xml", views.iati_activities, name="iati_activities"),
    path("iati-organisation.xml", views.iati_organisation, name="iati_organisation"),
    path("<slug:name>.csv", views.dataset_csv, name="csv"),
    path("<slug:name>.json", views.dataset_json, name="json"),
]
