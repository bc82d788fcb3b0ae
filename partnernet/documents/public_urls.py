"""The public address of a published document: `/<lang>/partnerships/<public slug>/documents/
<pk>/<file name>`."""

from django.urls import path

from . import views

app_name = "public_documents"
urlpatterns = [
    path("<int:pk>/<str:filename>", views.public_download, name="download"),
]
