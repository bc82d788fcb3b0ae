"""A partnership's conversation: one general thread, and one thread per activity; messages in
the language their author wrote them, replies, mentions of team members, attached documents of
the same partnership; each person's read state per thread (unread counts)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnernet.audit.personal import DELETE, PersonalData
from partnernet.documents.models import Document
from partnernet.lib.languages import CHOICES as LANGUAGE_CHOICES
from partnernet.partnerships.models import Partnership


class Thread(models.Model):
    """The general thread of a partnership (no activity) or the thread of one activity. The
    activity is named by reference: conversations sit below the workspace."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="threads")
    activity = models.ForeignKey(
        "workspace.Activity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="threads",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_DATA = PersonalData()

    class Meta:
        ordering = ["partnership", "id"]
        verbose_name = _("conversation thread")
        verbose_name_plural = _("conversation threads")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(activity__isnull=True),
                name="one_general_thread_per_partnership",
            ),
            models.UniqueConstraint(
                fields=["activity"],
                condition=models.Q(activity__isnull=False),
                name="one_thread_per_activity",
            ),
        ]

    def __str__(self) -> str:
        return f"thread {self.pk}"


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversation_messages",
    )
    body = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("mentioned")
    )
    attachments = models.ManyToManyField(
        Document, blank=True, related_name="messages", verbose_name=_("attached documents")
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    PERSONAL_DATA = PersonalData(subject="author", mentions=("body",))

    class Meta:
        ordering = ["thread", "created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["thread", "created_at", "id"])]

    def __str__(self) -> str:
        return f"message {self.pk}"


class ReadState(models.Model):
    """Until when a person has read a thread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_at = models.DateTimeField()

    PERSONAL_DATA = PersonalData(subject="person", on_erase=DELETE)

    class Meta:
        verbose_name = _("read state")
        verbose_name_plural = _("read states")
        constraints = [
            models.UniqueConstraint(fields=["thread", "person"], name="one_read_state_per_person")
        ]

    def __str__(self) -> str:
        return f"read state {self.pk}"
