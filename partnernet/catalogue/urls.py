from django.urls import path

from . import feeds, views

app_name = "catalogue"
urlpatterns = [
    path("", views.home, name="home"),
    path("partnerships/", views.partnership_list, name="partnerships"),
    path("partnerships/feed.atom", feeds.partnerships_feed, name="feed"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="partnership"),
    path("networks/<slug:slug>/", views.network_detail, name="network"),
    path("map/", views.map_view, name="map"),
    path("map/data.geojson", views.map_geojson, name="map_data"),
]
