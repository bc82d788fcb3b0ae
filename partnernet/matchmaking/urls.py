from django.urls import path

from . import join_views, views

app_name = "matchmaking"
urlpatterns = [
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("letters/<int:pk>/", views.letter_detail, name="letter"),
    path("<slug:slug>/", views.queue_page, name="queue"),
    path("<slug:slug>/entries/<int:pk>/", views.entry_detail, name="entry"),
    path("<slug:slug>/entries/<int:pk>/move/", views.entry_move, name="move"),
    path("<slug:slug>/entries/<int:pk>/reorder/", views.entry_reorder, name="reorder"),
    path("<slug:slug>/profiles/<str:code>/", views.profile_edit, name="profile"),
    path("<slug:slug>/suggestions/<str:code>/", views.suggestions, name="suggestions"),
    path("<slug:slug>/propose/", views.propose, name="propose"),
    path("<slug:slug>/joins/<int:pk>/", join_views.join_request_detail, name="join_request"),
]
