"""Interest profiles, the queue of each network, match proposals and letters of intent.

Stages and statuses change only through the guarded transitions below (django-fsm-2), called
from `services.py`, which also writes the audit entry and the visible queue history.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from partnernet.audit.personal import DEFAULT_PSEUDONYM, PersonalData
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.consent import Answer, ConsentFields, Outcome, read_consent
from partnernet.partnerships.models import (
    CooperationArea,
    Network,
    ProposedPair,
    TranslatedText,
)


class Side(models.TextChoices):
    NEEDS = "needs", _("needs (international partner)")
    OFFERS = "offers", _("offers (Swedish partner)")


class InterestProfile(TranslatedText):
    """What a municipality needs (Ukrainian side) or offers (Swedish side) in one network.

    `embedding` holds the multilingual vector of the profile text, `embedded_text` the exact
    text it was computed from, so a ranking never embeds unchanged text again.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="interest_profiles"
    )
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="interest_profiles")
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    areas = models.ManyToManyField(
        CooperationArea,
        related_name="interest_profiles",
        blank=True,
        verbose_name=_("cooperation areas"),
    )
    text = models.TextField(_("needs or offers"), blank=True)
    if TYPE_CHECKING:  # the language columns modeltranslation adds (translation.py)
        text_sv: str
        text_uk: str
        text_en: str
    priorities = models.TextField(_("priorities"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=1,
        help_text=_("How many partnerships the municipality can take on at the same time."),
    )
    excluded = models.ManyToManyField(
        Municipality, related_name="+", blank=True, verbose_name=_("excluded partners")
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=50, blank=True)
    is_example = models.BooleanField(_("example"), default=False)
    keywords = models.TextField(editable=False, blank=True)
    topics = models.JSONField(editable=False, default=list, blank=True)
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedded_text = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    TRANSLATED_FIELDS = ("text",)
    # The contact person is named only here (no account needed); the profile's text may name
    # anyone, and its search keywords, embedded text and vector are copies of that text.
    PERSONAL_DATA = PersonalData(
        identity=("contact_name", "contact_email", "contact_phone"),
        mentions=("text", "priorities"),
        derived=("keywords", "embedded_text", "embedding"),
    )

    class Meta:
        ordering = ["network", "municipality__name"]
        verbose_name = _("interest profile")
        verbose_name_plural = _("interest profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "network"], name="one_profile_per_network"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} ({self.network})"

    def original_text(self) -> str:
        return getattr(self, f"text_{self.source_language}", "") or self.text or ""


class Stage(models.TextChoices):
    INTERESTED = "interested", _("interested")
    MATCHED = "matched", _("matched")
    LETTER_OF_INTENT = "letter_of_intent", _("letter of intent")
    INCEPTION_APPLIED = "inception_applied", _("inception applied")
    GRANTED = "granted", _("granted")
    WITHDRAWN = "withdrawn", _("withdrawn")
    DECLINED = "declined", _("declined")


PATH = [
    Stage.INTERESTED,
    Stage.MATCHED,
    Stage.LETTER_OF_INTENT,
    Stage.INCEPTION_APPLIED,
    Stage.GRANTED,
]
WAITING = [Stage.INTERESTED, Stage.MATCHED, Stage.LETTER_OF_INTENT, Stage.INCEPTION_APPLIED]
CLOSED = [Stage.GRANTED, Stage.WITHDRAWN, Stage.DECLINED]


def _earlier(stage: str) -> list[str]:
    return [s.value for s in PATH[: PATH.index(Stage(stage))]]


class QueueEntry(FSMModelMixin, models.Model):
    """One municipality's place in one network's queue.

    Moves go forward along the path (a step may be skipped, for example when an application
    arrives before the letter of intent is recorded); withdrawn and declined can be reopened.
    """

    if TYPE_CHECKING:
        place: int | None  # the position in the queue, set by the queue page

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="queue_entries"
    )
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="queue_entries")
    stage = FSMField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.INTERESTED, protected=True
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    joined_at = models.DateTimeField(_("joined the queue"), default=timezone.now)
    stage_changed_at = models.DateTimeField(_("stage changed"), default=timezone.now)

    class Meta:
        ordering = ["network", "position", "joined_at", "id"]
        verbose_name = _("queue entry")
        verbose_name_plural = _("queue entries")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "network"], name="one_entry_per_network"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.get_stage_display()}"

    @property
    def is_waiting(self) -> bool:
        return self.stage in WAITING

    @transition(field=stage, source=_earlier(Stage.MATCHED), target=Stage.MATCHED)
    def to_matched(self) -> None: ...

    @transition(field=stage, source=_earlier(Stage.LETTER_OF_INTENT), target=Stage.LETTER_OF_INTENT)
    def to_letter_of_intent(self) -> None: ...

    @transition(
        field=stage, source=_earlier(Stage.INCEPTION_APPLIED), target=Stage.INCEPTION_APPLIED
    )
    def to_inception_applied(self) -> None: ...

    @transition(field=stage, source=_earlier(Stage.GRANTED), target=Stage.GRANTED)
    def to_granted(self) -> None: ...

    @transition(field=stage, source=[s.value for s in WAITING], target=Stage.WITHDRAWN)
    def to_withdrawn(self) -> None: ...

    @transition(field=stage, source=[s.value for s in WAITING], target=Stage.DECLINED)
    def to_declined(self) -> None: ...

    @transition(
        field=stage,
        source=[Stage.MATCHED, Stage.WITHDRAWN, Stage.DECLINED],
        target=Stage.INTERESTED,
    )
    def to_interested(self) -> None:
        """Back to waiting: a match fell through, or a withdrawn municipality returns."""


class QueueMove(models.Model):
    """The visible history of a queue entry: every stage change and reordering, with its reason."""

    class Kind(models.TextChoices):
        JOIN = "join", _("joined")
        STAGE = "stage", _("stage changed")
        REORDER = "reorder", _("reordered")

    entry = models.ForeignKey(QueueEntry, on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices, blank=True)
    from_position = models.PositiveIntegerField(null=True, blank=True)
    to_position = models.PositiveIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("by"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    PERSONAL_DATA = PersonalData(
        subject="actor",
        identity=("actor_label",),
        mentions=("reason",),
        pseudonyms={"actor_label": DEFAULT_PSEUDONYM},
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("queue move")
        verbose_name_plural = _("queue moves")

    def __str__(self) -> str:
        return f"{self.entry}: {self.from_stage} → {self.to_stage}"


Response = Answer  # one side's answer (partnerships.consent)


class MatchProposal(FSMModelMixin, ProposedPair):
    """An officer's proposal to pair a Swedish and an international municipality."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted by both")
        DECLINED = "declined", _("declined")

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="proposals")
    status = FSMField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED, protected=True
    )
    note = models.TextField(_("why this match"), blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    swedish_response = models.CharField(
        max_length=10, choices=Response.choices, default=Response.PENDING
    )
    swedish_reason = models.TextField(blank=True)
    swedish_responded_at = models.DateTimeField(null=True, blank=True)
    partner_response = models.CharField(
        max_length=10, choices=Response.choices, default=Response.PENDING
    )
    partner_reason = models.TextField(blank=True)
    partner_responded_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_DATA = PersonalData(mentions=("note", "swedish_reason", "partner_reason", "reasons"))
    CONSENT = ConsentFields(at="_responded_at", response="_response", reason="_reason")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("match proposal")
        verbose_name_plural = _("match proposals")

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.ACCEPTED,
        conditions=[lambda p: read_consent(p, MatchProposal.CONSENT).outcome == Outcome.AGREED],
    )
    def accept(self) -> None: ...

    @transition(field=status, source=Status.PROPOSED, target=Status.DECLINED)
    def decline(self) -> None: ...


class LetterOfIntent(FSMModelMixin, ProposedPair):
    """A letter of intent between two matched municipalities: a draft until both sides confirm.

    The inception application (grants) refers to a confirmed letter.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CONFIRMED = "confirmed", _("confirmed by both")

    proposal = models.OneToOneField(
        MatchProposal, on_delete=models.PROTECT, null=True, blank=True, related_name="letter"
    )
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="letters_of_intent")
    status = FSMField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, protected=True
    )
    text = models.TextField(_("text of the letter"), blank=True)
    swedish_confirmed_at = models.DateTimeField(
        _("confirmed by the Swedish side"), null=True, blank=True
    )
    partner_confirmed_at = models.DateTimeField(
        _("confirmed by the partner"), null=True, blank=True
    )
    swedish_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partner_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    PERSONAL_DATA = PersonalData(mentions=("text",))  # letters name their signatories
    CONSENT = ConsentFields(at="_confirmed_at", by="_confirmed_by")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("letter of intent")
        verbose_name_plural = _("letters of intent")

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.CONFIRMED,
        conditions=[
            lambda loi: read_consent(loi, LetterOfIntent.CONSENT).outcome == Outcome.AGREED
        ],
    )
    def confirm(self) -> None: ...
