"""A partnership's results plan: `/{lang}/partnerships/<slug>/work/results/…`."""

from .views import plan

app_name = "results"
urlpatterns = plan.urlpatterns
