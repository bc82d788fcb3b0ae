"""Calendars inside the language prefix (namespace `calendars`): a partnership's workspace
calendar and one activity's, and the person's page for their secret calendar address. The
secret feed itself (`/calendar/<secret>.ics`) is outside the prefix, in `partnernet.urls`."""

from django.urls import path

from . import views

app_name = "calendars"
urlpatterns = [
    path("partnerships/<slug:slug>/work/calendar.ics", views.partnership_ics, name="partnership"),
    path(
        "partnerships/<slug:slug>/work/calendar/activity-<int:pk>.ics",
        views.activity_ics,
        name="activity",
    ),
    path("calendar/", views.calendar_page, name="page"),
]
