from django.urls import path

from . import views
from .api import api

# No app namespace here: ninja reverses its own names under `api-v1:` (docs → openapi.json).
urlpatterns = [
    path("v1/", api.urls),
    path("tokens/", views.token_list, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
