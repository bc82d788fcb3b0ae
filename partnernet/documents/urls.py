from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("upload/", views.document_upload, name="upload"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/versions/new/", views.document_version_add, name="version_add"),
    path("<int:pk>/download/", views.document_download, name="download"),
    path("<int:pk>/publish/", views.document_publish, name="publish"),
]
