from django.urls import path

from . import views

app_name = "grants"
urlpatterns = [
    path("", views.index, name="index"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/open/", views.call_step, {"step": "open"}, name="call_open"),
    path("calls/<int:pk>/close/", views.call_step, {"step": "close"}, name="call_close"),
    path("calls/<int:pk>/scores.xlsx", views.call_export, name="call_export"),
    path("applications/start/", views.application_start, name="start"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/autosave/", views.application_autosave, name="autosave"),
    path("applications/<int:pk>/letter/", views.letter_upload, name="letter"),
    path("applications/<int:pk>/team/", views.team_add, name="team_add"),
    path("applications/<int:pk>/budget/", views.budget_add, name="budget_add"),
    path("applications/<int:pk>/results/", views.result_add, name="result_add"),
    path("applications/<int:pk>/indicators/", views.indicator_add, name="indicator_add"),
    path(
        "applications/<int:pk>/<str:kind>/<int:item_pk>/remove/", views.item_remove, name="remove"
    ),
    path("applications/<int:pk>/submit/", views.application_submit, name="submit"),
    path("applications/<int:pk>/move/", views.application_move, name="move"),
    path("applications/<int:pk>/reviewers/", views.review_assign, name="assign"),
    path("applications/<int:pk>/decision/", views.application_decide, name="decide"),
    path("applications/<int:pk>/review/", views.review, name="review"),
    path("applications/<int:pk>/agreement/", views.agreement_accept, name="accept"),
    path("applications/<int:pk>/agreement/text/", views.agreement_text, name="agreement_text"),
    path("applications/<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("applications/<int:pk>/exceptions/", views.exception_request, name="exception_request"),
    path(
        "applications/<int:pk>/exceptions/<int:exception_pk>/",
        views.exception_answer,
        name="exception_answer",
    ),
    path(
        "applications/<int:pk>/letter-of-intent.pdf",
        views.letter_of_intent_file,
        name="letter_of_intent_file",
    ),
    path(
        "applications/<int:pk>/decision-letters/<slug:side>/",
        views.decision_letter,
        name="decision_letter",
    ),
]
