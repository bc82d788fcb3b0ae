from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language

from partnernet.accounts.permissions import public
from partnernet.catalogue import feeds as catalogue_feeds
from partnernet.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("sitemap.xml", catalogue_feeds.sitemap, name="sitemap"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("accounts/", include("partnernet.accounts.urls")),
    path("api/", include("partnernet.api.urls")),
    path("open-data/", include("partnernet.opendata.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("partnernet.catalogue.urls")),
    path("municipalities/", include("partnernet.municipalities.urls")),
    path("queue/", include("partnernet.matchmaking.urls")),
    path("grants/", include("partnernet.grants.urls")),
    prefix_default_language=True,
)
