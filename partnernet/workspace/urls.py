from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("team/", views.team, name="team"),
    path("team/invite/", views.team_invite, name="team_invite"),
    path("team/<int:pk>/remove/", views.team_remove, name="team_remove"),
    path("activities/", views.activities, name="activities"),
    path("activities/timeline/", views.timeline, name="timeline"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/status/", views.activity_step, name="activity_step"),
]
