"""Personal API tokens: a person creates one, sees it once, and may revoke it.

Only a SHA-256 hash of the token is stored; tokens are 256-bit random strings, so an unsalted
hash is enough to make a leaked database useless for calling the API.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnernet.audit.personal import DELETE, PersonalData


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("beginning of the token"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    PERSONAL_DATA = PersonalData(
        subject="user", attributes=("name",), secrets=("token_hash",), on_erase=DELETE
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
