"""A partnership's reports: `/{lang}/partnerships/<slug>/work/reports/…`."""

from .views import finances, indicators, schedule, writing

app_name = "reports"
urlpatterns = [
    *schedule.urlpatterns,
    *writing.urlpatterns,
    *indicators.urlpatterns,
    *finances.urlpatterns,
]
