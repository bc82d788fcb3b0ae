from django.urls import path

from . import views

app_name = "conversations"
urlpatterns = [
    path("", views.thread, name="thread"),
    path("post/", views.post, name="post"),
    path("activity/<int:activity_pk>/", views.activity_thread, name="activity_thread"),
    path("activity/<int:activity_pk>/post/", views.activity_post, name="activity_post"),
]
