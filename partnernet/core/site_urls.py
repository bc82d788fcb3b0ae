"""/<lang>/accessibility/, /<lang>/privacy/, /<lang>/contact/: the pages a public-sector site
must have, namespace `site`."""

from django.urls import path

from . import views

app_name = "site"
urlpatterns = [
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("contact/", views.contact, name="contact"),
]
