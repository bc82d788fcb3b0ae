from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("<slug:slug>/publication/", views.publication, name="publication"),
]
