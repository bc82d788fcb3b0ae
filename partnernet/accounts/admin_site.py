"""The admin site: `Perm.ADMIN_SITE` (programme officers, superusers), in a session verified by
two factors through our login page."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpResponseRedirect


class PartnernetAdminSite(AdminSite):
    site_header = "Partnernet"

    def has_permission(self, request) -> bool:
        from .permissions import Perm, holds  # this module loads with the app registry

        user = request.user
        verified = getattr(user, "is_verified", lambda: False)()
        # Django's admin also needs `is_staff` (given with every staff role).
        return bool(user.is_active and user.is_staff and verified and holds(user, Perm.ADMIN_SITE))

    def login(self, request, extra_context=None):
        # One sign-in page for the whole site (lock-out and two-factor live there).
        next_url = request.GET.get("next") or request.path
        return HttpResponseRedirect(settings.LOGIN_URL + "?" + urlencode({"next": next_url}))


class PartnernetAdminConfig(AdminConfig):
    """Django's admin, with the site above as the default site."""

    default_site = "partnernet.accounts.admin_site.PartnernetAdminSite"
