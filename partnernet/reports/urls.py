"""A partnership's reports: `/{lang}/partnerships/<slug>/work/reports/…`."""

from .views import finances, indicators, schedule, writing

app_name = "reports"
urlpatterns = [*schedule.urlpatterns, *writing.urlpatterns, *finances.urlpatterns]
urlpatterns += indicators.urlpatterns
