"""The programme at a glance, for programme and finance officers: `/{lang}/programme/…`."""

from .views import programme

app_name = "programme"
urlpatterns = programme.urlpatterns
