from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_home, name="home"),
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify, name="login_verify"),
    path("logout/", views.logout_view, name="logout"),
    path("sessions/end/", views.sessions_end, name="sessions_end"),
    path("export/", views.export_self, name="export"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/set/<str:uidb64>/<str:token>/", views.password_set, name="password_set"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("2fa/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/export/", views.person_export, name="person_export"),
    path("people/<int:pk>/erase/", views.person_erase, name="person_erase"),
]
