from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from partnernet.accounts.permissions import public
from partnernet.catalogue import feeds as catalogue_feeds
from partnernet.core import observability
from partnernet.core import views as core_views
from partnernet.events import views as events_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", observability.metrics_view, name="metrics"),  # METRICS_TOKEN
    path("sitemap.xml", catalogue_feeds.sitemap, name="sitemap"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("accounts/", include("partnernet.accounts.urls")),
    path("audit/", include("partnernet.core.history_urls")),
    path("admin/", admin.site.urls),  # staff with two-factor only (accounts.admin_site)
    path("api/", include("partnernet.api.urls")),
    path("open-data/", include("partnernet.opendata.urls")),
    # A person's own calendar by its secret address: no session, no language prefix.
    path("calendar/<str:secret>.ics", events_views.person_ics, name="calendar_feed"),
]
urlpatterns += i18n_patterns(
    path("", include("partnernet.catalogue.urls")),
    path("networks/<slug:slug>/", include("partnernet.events.urls")),
    # before partnerships/: the workspace's calendar feeds, and the person's calendar page
    path("", include("partnernet.events.calendar_urls")),
    path("partnerships/<slug:slug>/work/documents/", include("partnernet.documents.urls")),
    path("partnerships/<slug:slug>/work/conversation/", include("partnernet.conversations.urls")),
    path("partnerships/<slug:slug>/documents/", include("partnernet.documents.public_urls")),
    path("partnerships/<slug:slug>/work/reports/", include("partnernet.reports.urls")),
    path("partnerships/<slug:slug>/work/results/", include("partnernet.reports.plan_urls")),
    path("partnerships/<slug:slug>/work/", include("partnernet.workspace.urls")),
    path("partnerships/", include("partnernet.partnerships.urls")),
    path("municipalities/", include("partnernet.catalogue.municipality_urls")),
    path("queue/", include("partnernet.matchmaking.urls")),
    path("join/", include("partnernet.matchmaking.join_urls")),
    path("grants/", include("partnernet.grants.urls")),
    path("calls/", include("partnernet.grants.public_urls")),
    path("", include("partnernet.core.site_urls")),
    path("me/", core_views.start_page, name="me"),
    path("programme/", include("partnernet.reports.programme_urls")),
    path("notifications/", include("partnernet.core.notification_urls")),
    prefix_default_language=True,
)

# Translated error pages (accounts & security, issue 4).
handler400 = "partnernet.core.errors.bad_request"
handler403 = "partnernet.core.errors.permission_denied"
handler404 = "partnernet.core.errors.page_not_found"
handler500 = "partnernet.core.errors.server_error"
