"""Documents of a partnership (minutes, agreements, photos, report annexes, presentations):
each upload is a version kept with who and when; private to the team by default, published to
the public partnership page only by a programme officer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnernet.audit.personal import PersonalData
from partnernet.lib.languages import CHOICES as LANGUAGE_CHOICES
from partnernet.partnerships.models import Network, Partnership


class Category(models.TextChoices):
    AGREEMENT = "agreement", _("agreement")
    MINUTES = "minutes", _("minutes")
    REPORT_ANNEX = "report_annex", _("report annex")
    RECEIPT = "receipt", _("receipt")
    PHOTO = "photo", _("photo")
    PRESENTATION = "presentation", _("presentation")
    OTHER = "other", _("other")


class Document(models.Model):
    """One document of a partnership (or of a network, for meeting materials); its file is the
    latest of its versions."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, blank=True)
    is_published = models.BooleanField(_("published on the public page"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    PERSONAL_DATA = PersonalData(mentions=("title",))

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partnership__isnull=False) | models.Q(network__isnull=False),
                name="document_belongs_somewhere",
            )
        ]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    """One uploaded file of a document; the newest is the document's current file."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_DATA = PersonalData(subject="uploaded_by", mentions=("original_name",))

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"
