"""The one notification of the platform: what a person was told, kept as message ids with
their parameters (rendered per language when written) and read in the reader's language; and
how each person wants their e-mail (immediately, a daily digest, never)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnernet.audit.personal import DELETE, PersonalData


class Notification(models.Model):
    """One thing a person was told. `subject` and `body` are message ids (never a rendered
    sentence); `params` holds each parameter already rendered in every language,
    `{"sv": {...}, "uk": {...}, "en": {...}}`; `link` is a site path without a language.
    `email_due`: an e-mail is still owed (the send failed, or it waits for the daily digest);
    `emailed_at` says when it went out."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    subject = models.CharField(_("subject"), max_length=500)  # a message id
    body = models.JSONField(_("body"), default=list, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_due = models.BooleanField(_("e-mail owed"), default=False)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    PERSONAL_DATA = PersonalData(subject="recipient", mentions=("params",), on_erase=DELETE)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["email_due", "recipient"], name="notification_email_due"),
        ]

    def __str__(self) -> str:
        return f"notification {self.pk}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately, one e-mail for each notification")
    DAILY = "daily", _("Once a day, in one digest")
    NEVER = "never", _("Never (only here on the website)")


class NotificationPreference(models.Model):
    """How a person wants their notifications by e-mail; without a row, immediately.
    `last_digest_at`: when their last daily digest went out (one a day at most)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    email = models.CharField(
        _("e-mail"),
        max_length=12,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATELY,
    )
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    PERSONAL_DATA = PersonalData(subject="user", on_erase=DELETE)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"notification preference of {self.user_id}"
