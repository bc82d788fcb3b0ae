"""Partnerships, the networks they belong to, cooperation areas, global goals and tags."""

from typing import cast

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from partnernet.lib import languages
from partnernet.municipalities.models import Municipality


def text_stamps(
    *, source_language: str, translated_at: dict, languages, now
) -> tuple[dict[str, str], bool]:
    """The translation bookkeeping after writing `languages` of a text (pure): the new
    `translated_at` and whether the original changed (then `source_updated_at` becomes `now`).
    The one rule behind `TranslatedText.set_text` and writes that update rows in bulk."""
    stamps = dict(translated_at or {})
    original = False
    for language in languages:
        if language == source_language:
            original = True
        else:
            stamps[language] = now.isoformat()
    return stamps, original


class PairSide(models.TextChoices):
    """The two sides of a pair of municipalities, named like the pair's fields
    (`swedish_partner`, `partner`) on partnerships, applications, proposals and letters.
    The one vocabulary: grants' teams and agreements and matchmaking's answers use it."""

    SWEDISH = "swedish", _("Swedish partner")
    PARTNER = "partner", _("international partner")

    @property
    def field(self) -> str:
        """The pair's field for this side: `swedish_partner` or `partner`."""
        return "swedish_partner" if self == PairSide.SWEDISH else "partner"


class ProposedPair(models.Model):
    """The pair of municipalities a match proposal or a letter of intent is about, before a
    partnership exists (an abstract model: the one definition of both fields)."""

    swedish_partner = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Swedish municipality"),
    )
    partner = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("partner municipality"),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.swedish_partner} – {self.partner}"


# The fields of a partnership an officer may keep private (people in a war zone may be
# endangered by them). Every public channel blanks the ones a partnership lists in
# `private_fields`; the labels are what the officer's publication screen shows.
PRIVATISABLE_FIELDS: tuple[str, ...] = (
    "partner",
    "summary",
    "description",
    "tags",
    "start_date",
    "end_date",
    "granted_amount",
)
PRIVATISABLE_LABELS = {
    "partner": _("international partner"),
    "summary": _("focus"),
    "description": _("description"),
    "tags": _("tags"),
    "start_date": _("start"),
    "end_date": _("end"),
    "granted_amount": _("funds granted (SEK)"),
}
TEXT_LANGUAGES = languages.LANGUAGES


class TranslatedText(models.Model):
    """Records which language a text was written in and when each translation was updated.

    `translated_at` maps a language code to the ISO time its translation was last brought up to
    date; a translation older than `source_updated_at` is out of date.
    """

    source_language = models.CharField(
        _("original language"), max_length=2, default="sv", choices=languages.CHOICES
    )
    source_updated_at = models.DateTimeField(_("original last changed"), default=timezone.now)
    translated_at = models.JSONField(_("translations last updated"), default=dict, blank=True)

    class Meta:
        abstract = True

    TRANSLATED_FIELDS: tuple[str, ...] = ()

    def set_text(self, field: str, language: str, value: str, *, now=None) -> None:
        """Write one language version of `field` and keep the translation bookkeeping: a new
        original makes every translation out of date (its time moves on); a translation
        records when it was brought up to date. Not saved: the caller saves."""
        setattr(self, f"{field}_{language}", value)
        self.translated_at, changed = text_stamps(
            source_language=self.source_language,
            translated_at=self.translated_at,
            languages=[language],
            now=now or timezone.now(),
        )
        if changed:
            self.source_updated_at = now or timezone.now()

    def translation_state(self, language: str) -> str:
        """`original`, `current`, `outdated` or `missing` for the reader's language. Only the
        texts the original has count: an empty one (never written, or blanked by the public
        projection because it is private) needs no translation and says nothing."""
        if language == self.source_language:
            return "original"
        written = [f for f in self.TRANSLATED_FIELDS if self._original_text(f)]
        if not all(getattr(self, f"{f}_{language}", "") for f in written):
            return "missing"
        stamp = self.translated_at.get(language)
        if not stamp or stamp < self.source_updated_at.isoformat():
            return "outdated"
        return "current"

    def _original_text(self, field: str) -> str:
        return getattr(self, f"{field}_{self.source_language}", "") or ""


class Network(TranslatedText):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    funder = models.CharField(_("funder"), max_length=200)
    launched_on = models.DateField(_("launched"), null=True, blank=True)

    TRANSLATED_FIELDS = ("name", "description")

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:network", kwargs={"slug": self.slug})


class CooperationArea(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=150)
    dac_sector = models.CharField(_("OECD DAC sector code"), max_length=5)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cooperation area")
        verbose_name_plural = _("cooperation areas")

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    short_name = models.CharField(_("short name"), max_length=100)
    title = models.TextField(_("title"))
    colour = models.CharField(_("colour"), max_length=7)

    class Meta:
        ordering = ["number"]
        verbose_name = _("global goal")
        verbose_name_plural = _("global goals")

    def __str__(self) -> str:
        return f"{self.number}. {self.short_name}"


class Tag(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Publication(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class PartnershipQuerySet(models.QuerySet):
    def published(self) -> "PartnershipQuerySet":
        return self.filter(publication=Publication.PUBLISHED)


class Partnership(FSMModelMixin, TranslatedText):
    """A partnership. Its publication changes only through the guarded transitions below,
    called by the services in `partnerships.services` (`protected=True`: assigning the field
    raises); fields are kept private with `partnership_field_hide`."""

    Publication = Publication

    class Phase(models.TextChoices):
        INTEREST = "interest", _("interest")
        INCEPTION = "inception", _("inception")
        PROJECT = "project", _("project")
        COMPLETED = "completed", _("completed")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("active")
        PAUSED = "paused", _("paused")
        CLOSED = "closed", _("closed")

    slug = models.SlugField(unique=True, max_length=120)
    title = models.CharField(_("title"), max_length=250)
    swedish_partner = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="swedish_partnerships"
    )
    partner = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="international_partnerships",
        verbose_name=_("international partner"),
    )
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="partnerships")
    area = models.ForeignKey(
        CooperationArea,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("cooperation area"),
    )
    goals = models.ManyToManyField(Goal, related_name="partnerships", blank=True)
    tags = models.ManyToManyField(Tag, related_name="partnerships", blank=True)
    summary = models.TextField(_("focus"), blank=True)
    description = models.TextField(_("description"), blank=True)
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.INCEPTION
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    granted_amount = models.DecimalField(
        _("funds granted (SEK)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    publication = FSMField(
        _("publication"),
        max_length=10,
        choices=Publication.choices,
        default=Publication.DRAFT,
        protected=True,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    private_fields = models.JSONField(
        _("fields kept private"),
        default=list,
        blank=True,
        help_text=_("Fields that would endanger people in a war zone are not published."),
    )
    private_reasons = models.JSONField(_("why fields are kept private"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    TRANSLATED_FIELDS = ("summary", "description")

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["swedish_partner", "partner", "network"], name="unique_pair_per_network"
            )
        ]
        # One index per order the lists ask SQL for at 100 000 rows: the newest published
        # (home page, feeds), the network pages (published per network by id), the default
        # `title` ordering per language and the start date, each with its tie-breaker.
        indexes = [
            models.Index(
                fields=["publication", "-published_at", "id"], name="partnership_newest_idx"
            ),
            models.Index(fields=["network", "publication", "id"], name="partnership_network_idx"),
            models.Index(fields=["title_sv", "slug"], name="partnership_title_sv_idx"),
            models.Index(fields=["title_en", "slug"], name="partnership_title_en_idx"),
            models.Index(fields=["title_uk", "slug"], name="partnership_title_uk_idx"),
            models.Index(fields=["start_date", "slug"], name="partnership_start_idx"),
            # Matchmaking's loads (open partnerships per municipality, either side) and the
            # partnerships of a region's municipalities: index-only scans of the open ones.
            models.Index(
                fields=["swedish_partner", "partner"],
                condition=~models.Q(status="closed"),
                name="partnership_open_se_idx",
            ),
            models.Index(
                fields=["partner", "swedish_partner"],
                condition=~models.Q(status="closed"),
                name="partnership_open_partner_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if getattr(self, "is_public_projection", False):
            raise TypeError("the public projection of a partnership is never saved")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("catalogue:partnership", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.publication == Publication.PUBLISHED

    # The lifecycle: draft → published → withdrawn → published again, or back to draft.
    def is_ready_to_publish(self) -> bool:
        """A title, both partners and at least one text (focus or description) in some
        language."""
        has_text = any(
            (getattr(self, f"{name}_{lang}", "") or "").strip()
            for name in self.TRANSLATED_FIELDS
            for lang in TEXT_LANGUAGES
        ) or any((getattr(self, name, "") or "").strip() for name in self.TRANSLATED_FIELDS)
        return bool(
            (self.title or "").strip() and self.swedish_partner_id and self.partner_id and has_text
        )

    @transition(
        field=publication,
        source=[Publication.DRAFT, Publication.WITHDRAWN],
        target=Publication.PUBLISHED,
        conditions=[lambda p: cast("Partnership", p).is_ready_to_publish()],
    )
    def publish(self) -> None:
        if self.published_at is None:
            self.published_at = timezone.now()

    @transition(field=publication, source=Publication.PUBLISHED, target=Publication.WITHDRAWN)
    def withdraw(self) -> None:
        pass

    @transition(field=publication, source=Publication.WITHDRAWN, target=Publication.DRAFT)
    def return_to_draft(self) -> None:
        pass


class FundingTransaction(models.Model):
    """Money for a partnership as IATI sees it: a commitment when a grant is decided, a
    disbursement when a payment (reimbursement after a report) is recorded."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("commitment")
        DISBURSEMENT = "disbursement", _("disbursement")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="transactions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=0)
    currency = models.CharField(_("currency"), max_length=3, default="SEK")
    description = models.CharField(_("description"), max_length=300, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("funding transaction")
        verbose_name_plural = _("funding transactions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency} ({self.date})"
