"""The one notification of the platform: what a person was told, kept as message ids with
their parameters (rendered per language when written) and read in the reader's language; how
each person wants their e-mail (immediately, a daily digest, never); and the outbox of e-mails
(`OutgoingEmail`), each sent by a background job (`notifications.send_email`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnernet.audit.personal import DELETE, PersonalData


class Notification(models.Model):
    """One thing a person was told. `subject` and `body` are message ids (never a rendered
    sentence); `params` holds each parameter already rendered in every language,
    `{"sv": {...}, "uk": {...}, "en": {...}}`; `link` is a site path without a language.
    `email_due`: an e-mail is still owed by the digest (the person wants a daily digest);
    `outgoing`: the e-mail that carries it once handed to the outbox (its own, or a digest);
    `emailed_at` says when that e-mail went out."""

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
    outgoing = models.ForeignKey(
        "OutgoingEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )

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


class OutgoingEmail(models.Model):
    """One e-mail to send: written in the transaction of the change that causes it (rolled back
    with it) and sent by its job after the commit, retried with backoff while the mail server
    refuses. `recipient` is empty for an address without an account. The body is rendered in
    `language` when written and emptied once sent (it may hold a one-time link). A waiting
    e-mail's tries and last error (the exception's class) are those of its `job`."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outgoing_emails",
    )
    address = models.EmailField(_("address"), max_length=254)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("body"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # The body is a secret (a set-password link): never exported; it may name others, so an
    # erasure scrubs it too. The rows about a person (or to their address) are deleted.
    PERSONAL_DATA = PersonalData(
        subject="recipient",
        identity=("address",),
        mentions=("subject", "body"),
        secrets=("body",),
        on_erase=DELETE,
    )

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"outgoing e-mail {self.pk}"
