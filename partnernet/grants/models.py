"""Calls, applications, reviews, decisions, budgets and agreements.

The funder's rules (eligible cost categories, ceilings per component and region) are data that
officers edit in the admin, not code. An application's state only changes through the guarded
transitions below, called from `services/` (whose `workflow` audits and announces each one).
"""

from decimal import Decimal
from typing import cast

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from partnernet.audit.personal import PersonalData
from partnernet.lib.languages import CHOICES as LANGUAGE_CHOICES
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.consent import ConsentFields, Outcome, read_consent
from partnernet.partnerships.models import (
    CooperationArea,
    Network,
    PairSide,
    Partnership,
    TranslatedText,
)


class Component(models.TextChoices):
    INCEPTION = "inception", _("inception")
    PROJECT = "project", _("project")
    STEERING_GROUP = "steering_group", _("steering group")
    DEVELOPMENT = "development", _("development/expansion")
    DISSEMINATION = "dissemination", _("dissemination")


class ProgrammeRegion(models.TextChoices):
    EUROPE = "europe", _("Europe")
    AFRICA = "africa", _("Africa")
    ASIA = "asia", _("Asia")
    LATIN_AMERICA = "latin_america", _("Latin America")


class CostCategory(models.Model):
    """A kind of cost; ineligible ones carry the explanation shown when someone tries them."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)
    eligible = models.BooleanField(_("eligible"), default=True)
    explanation = models.TextField(_("explanation"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["-eligible", "order", "slug"]
        verbose_name = _("cost category")
        verbose_name_plural = _("cost categories")

    def __str__(self) -> str:
        return self.name


class Ceiling(models.Model):
    """The most a budget may hold for one component in one programme region."""

    component = models.CharField(_("component"), max_length=20, choices=Component.choices)
    region = models.CharField(_("programme region"), max_length=20, choices=ProgrammeRegion.choices)
    amount = models.DecimalField(_("ceiling (SEK)"), max_digits=12, decimal_places=0)
    per_year = models.BooleanField(_("per year"), default=False)

    class Meta:
        verbose_name = _("ceiling")
        verbose_name_plural = _("ceilings")
        constraints = [
            models.UniqueConstraint(
                fields=["component", "region"], name="one_ceiling_per_component"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_component_display()} / {self.get_region_display()}: {self.amount}"


class CallState(models.TextChoices):
    """A call's lifecycle: officers write it as a draft, open it (then the public sees it, as
    upcoming until it opens) and close it (then it takes no new applications)."""

    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("open to the public")
    CLOSED = "closed", _("closed")


# The texts of a call an officer writes in three languages (the public call page shows them).
CALL_TEXTS: tuple[str, ...] = ("title", "guidelines", "eligibility", "criteria")
CALL_TEXT_NAMES = {
    "title": _("title"),
    "guidelines": _("guidelines"),
    "eligibility": _("who may apply"),
    "criteria": _("assessment criteria"),
}


class Call(FSMModelMixin, TranslatedText):
    """A call for applications in one network and component. An inception call has no dates:
    it is open all year. Only a published call is seen by the public and takes applications;
    its texts are written in one language and translated (`TranslatedText`)."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="calls")
    component = models.CharField(_("component"), max_length=20, choices=Component.choices)
    region = models.CharField(
        _("programme region"),
        max_length=20,
        choices=ProgrammeRegion.choices,
        default=ProgrammeRegion.EUROPE,
    )
    title = models.CharField(_("title"), max_length=200)
    guidelines = models.TextField(_("guidelines"), blank=True)
    eligibility = models.TextField(_("who may apply"), blank=True)
    criteria = models.TextField(_("assessment criteria"), blank=True)
    state = FSMField(_("state"), default=CallState.DRAFT, choices=CallState.choices, protected=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    budget = models.DecimalField(
        _("total budget (SEK)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=_(
            "Empty when not known; no grant with an amount can be decided until it is set."
        ),
    )
    min_reviews = models.PositiveSmallIntegerField(
        _("minimum number of completed reviews"),
        default=1,
        help_text=_(
            "A grant with fewer completed reviews needs an exception approved by a second "
            "programme officer."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    TRANSLATED_FIELDS = CALL_TEXTS

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")

    def __str__(self) -> str:
        return self.title

    def is_open_at(self, moment) -> bool:
        if self.state != CallState.PUBLISHED:
            return False
        after_opening = self.opens_at is None or moment >= self.opens_at
        return after_opening and (self.closes_at is None or moment <= self.closes_at)

    def texts_missing(self) -> list[str]:
        """The texts still empty in the call's original language (opening needs them all)."""
        return [f for f in CALL_TEXTS if not getattr(self, f"{f}_{self.source_language}", "")]

    @transition(
        field=state,
        source=[CallState.DRAFT, CallState.CLOSED],
        target=CallState.PUBLISHED,
        conditions=[lambda c: not cast("Call", c).texts_missing()],
    )
    def open(self) -> None:
        """Published: the public sees it (as upcoming before it opens)."""

    @transition(field=state, source=CallState.PUBLISHED, target=CallState.CLOSED)
    def close(self) -> None:
        """Closed: no new applications, listed publicly among past calls."""


class State(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    SCREENING = "screening", _("screening")
    IN_REVIEW = "in_review", _("in review")
    MORE_INFORMATION = "more_information_requested", _("more information requested")
    RESUBMITTED = "resubmitted", _("resubmitted")
    GRANTED = "granted", _("granted")
    REJECTED = "rejected", _("rejected")
    AGREEMENT_SIGNED = "agreement_signed", _("agreement signed")
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")


EDITABLE_STATES = {State.DRAFT, State.MORE_INFORMATION}
# States whose granted amount counts as committed money: the call's budget check, the results
# of a partnership. The one definition; do not list these states anywhere else.
COMMITTED_STATES = {State.GRANTED, State.AGREEMENT_SIGNED, State.ACTIVE, State.CLOSED}


class Application(FSMModelMixin, models.Model):
    """One application by a Swedish and an international municipality to one call."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    swedish_partner = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("international partner"),
    )
    area = models.ForeignKey(
        CooperationArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cooperation area"),
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    title = models.CharField(_("title"), max_length=250, blank=True)
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    letter_of_intent = models.FileField(
        _("signed letter of intent"), upload_to="grants/letters/", blank=True
    )
    letter_uploaded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    draft_saved_at = models.DateTimeField(_("draft saved"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    # The language the officer wrote the reasons in: letters quote them as written.
    decision_reasons_language = models.CharField(
        _("language of the reasons"), max_length=2, choices=LANGUAGE_CHOICES, blank=True
    )
    # Both coordinators sign the content off before it is submitted (`partnerships.consent`);
    # any change of the content clears both sign-offs (`signoffs_cleared_*` say by whom, when).
    swedish_signed_off_at = models.DateTimeField(null=True, blank=True)
    swedish_signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partner_signed_off_at = models.DateTimeField(null=True, blank=True)
    partner_signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signoffs_cleared_at = models.DateTimeField(null=True, blank=True)
    signoffs_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_amount = models.DecimalField(
        _("amount granted (SEK)"), max_digits=12, decimal_places=0, null=True, blank=True
    )

    PERSONAL_DATA = PersonalData(mentions=("decision_reasons",))
    SIGNOFF = ConsentFields(at="_signed_off_at", by="_signed_off_by")

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            # Submitting (or starting) twice leaves one application per pair and call.
            models.UniqueConstraint(
                fields=["call", "swedish_partner", "partner"],
                name="one_application_per_pair_and_call",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.swedish_partner} – {self.partner}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    def requested_amount(self) -> Decimal:
        return sum((line.amount for line in self.budget_lines.all()), Decimal(0))

    @property
    def signed_off(self) -> bool:
        """Both partners have signed the present content off."""
        return read_consent(self, self.SIGNOFF).outcome == Outcome.AGREED

    # Guarded transitions: the services check who may call them and record each one.
    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED)
    def submit(self) -> None:
        self.submitted_at = timezone.now()

    @transition(field=state, source=[State.SUBMITTED, State.RESUBMITTED], target=State.SCREENING)
    def screen(self) -> None:
        pass

    @transition(field=state, source=State.SCREENING, target=State.IN_REVIEW)
    def start_review(self) -> None:
        pass

    @transition(
        field=state, source=[State.SCREENING, State.IN_REVIEW], target=State.MORE_INFORMATION
    )
    def request_information(self) -> None:
        pass

    @transition(field=state, source=State.MORE_INFORMATION, target=State.RESUBMITTED)
    def resubmit(self) -> None:
        self.submitted_at = timezone.now()

    @transition(field=state, source=State.IN_REVIEW, target=State.GRANTED)
    def grant(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=[State.SCREENING, State.IN_REVIEW, State.RESUBMITTED],
        target=State.REJECTED,
    )
    def reject(self) -> None:
        self.decided_at = timezone.now()

    @transition(field=state, source=State.GRANTED, target=State.AGREEMENT_SIGNED)
    def sign_agreement(self) -> None:
        pass

    @transition(field=state, source=State.AGREEMENT_SIGNED, target=State.ACTIVE)
    def activate(self) -> None:
        pass

    @transition(field=state, source=State.ACTIVE, target=State.CLOSED)
    def close(self) -> None:
        pass


class ApplicationSection(TranslatedText):
    """One section of the text, written in one language and translated into the others, by
    co-writers who never overwrite each other (see `version` and `grants.drafts`)."""

    class Key(models.TextChoices):
        SUMMARY = "summary", _("Summary")
        BACKGROUND = "background", _("Background and needs")
        ACTIVITIES = "activities", _("Planned activities")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("section"), max_length=20, choices=Key.choices)
    text = models.TextField(_("text"), blank=True)
    # Bumped by every change: a save based on an older version is refused (`grants.drafts`).
    version = models.PositiveIntegerField(_("version"), default=1)

    TRANSLATED_FIELDS = ("text",)
    # Application texts carry contacts ("contact Olena Kovalenko, +380 …").
    PERSONAL_DATA = PersonalData(mentions=("text",))

    class Meta:
        ordering = ["application", "key"]
        constraints = [
            models.UniqueConstraint(fields=["application", "key"], name="one_section_per_key")
        ]

    def __str__(self) -> str:
        return self.get_key_display()


Side = PairSide  # the one side vocabulary (partnerships.models), under the name grants uses


class TeamMember(models.Model):
    class TeamRole(models.TextChoices):
        POLITICIAN_MAJORITY = "politician_majority", _("politician (majority)")
        POLITICIAN_OPPOSITION = "politician_opposition", _("politician (opposition)")
        CIVIL_SERVANT = "civil_servant", _("civil servant")
        COORDINATOR = "coordinator", _("coordinator")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="team")
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    role = models.CharField(_("role in the team"), max_length=24, choices=TeamRole.choices)
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)

    # A team member is named, not linked to an account: erasure finds them by name.
    PERSONAL_DATA = PersonalData(identity=("name",), attributes=("position",))

    class Meta:
        ordering = ["side", "role", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.ForeignKey(
        CostCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("cost category")
    )
    description = models.CharField(_("description"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year of the project"), default=1)
    amount = models.DecimalField(_("amount (SEK)"), max_digits=12, decimal_places=0)

    class Meta:
        ordering = ["year", "category__order", "id"]

    def __str__(self) -> str:
        return f"{self.category}: {self.amount}"


class ResultStatement(models.Model):
    """One line of the logical-framework plan: the objective, an outcome or an output."""

    class Level(models.TextChoices):
        OBJECTIVE = "objective", _("objective")
        OUTCOME = "outcome", _("outcome")
        OUTPUT = "output", _("output")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="results")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    text = models.TextField(_("statement"))

    class Meta:
        ordering = ["application", "level", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Indicator(models.Model):
    result = models.ForeignKey(ResultStatement, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)

    class Meta:
        ordering = ["result", "id"]

    def __str__(self) -> str:
        return self.name


class IndicatorActual(models.Model):
    """The value an indicator reached in one reporting period (filled in by later reports)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    period = models.CharField(_("period"), max_length=20)
    value = models.DecimalField(_("actual"), max_digits=14, decimal_places=2)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="one_actual_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.period} = {self.value}"


RUBRIC = [
    ("relevance", _("Relevance to the network's aims")),
    ("participation", _("Participation")),
    ("transparency", _("Transparency")),
    ("accountability", _("Accountability")),
    ("non_discrimination", _("Non-discrimination")),
    ("feasibility", _("Feasibility")),
    ("budget", _("Budget")),
]
SCORE_MIN, SCORE_MAX = 1, 5


class Review(models.Model):
    """One reviewer's assessment; created empty when an officer assigns the reviewer."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_reviews"
    )
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    conflict_of_interest = models.BooleanField(_("I have a conflict of interest"), default=False)
    conflict_explanation = models.TextField(_("conflict of interest: explanation"), blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    PERSONAL_DATA = PersonalData(subject="reviewer", mentions=("comments", "conflict_explanation"))

    class Meta:
        ordering = ["application", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_each")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.application}"

    def total(self) -> int | None:
        values = [self.scores.get(key) for key, _label in RUBRIC]
        return sum(values) if values and all(v is not None for v in values) else None


class Agreement(models.Model):
    """Generated from a grant decision; both partners accept it in the platform."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="agreement"
    )
    amount = models.DecimalField(_("amount (SEK)"), max_digits=12, decimal_places=0, null=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    created_at = models.DateTimeField(auto_now_add=True)
    swedish_accepted_at = models.DateTimeField(null=True, blank=True)
    swedish_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partner_accepted_at = models.DateTimeField(null=True, blank=True)
    partner_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    CONSENT = ConsentFields(at="_accepted_at", by="_accepted_by")

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return f"{self.application}"

    @property
    def fully_accepted(self) -> bool:
        return read_consent(self, self.CONSENT).outcome == Outcome.AGREED


class ReportingDeadline(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("annual report")
        FINAL = "final", _("final report")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("report"), max_length=10, choices=Kind.choices)
    due_on = models.DateField(_("due"))

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"


class DecisionException(FSMModelMixin, models.Model):
    """A recorded exception to the rules of a grant decision: an amount above what was
    requested, or fewer completed reviews than the call asks for. One programme officer asks
    for it with a reason, a second one (never the asker, never the one who decides) approves
    or declines it; only an approved exception for the same amount lets the grant through."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("waiting for a second officer")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")
        USED = "used", _("used by the decision")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="decision_exceptions"
    )
    amount = models.DecimalField(_("amount to grant (SEK)"), max_digits=12, decimal_places=0)
    above_requested = models.BooleanField(_("above the requested amount"), default=False)
    too_few_reviews = models.BooleanField(_("fewer completed reviews than required"), default=False)
    reason = models.TextField(_("reason for the exception"))
    status = FSMField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED, protected=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.TextField(_("note of the second officer"), blank=True)

    PERSONAL_DATA = PersonalData(subject="requested_by", mentions=("reason", "answer_note"))

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("decision exception")
        verbose_name_plural = _("decision exceptions")

    def __str__(self) -> str:
        return f"{self.application} – {self.amount}"

    @transition(field=status, source=Status.REQUESTED, target=Status.APPROVED)
    def approve(self) -> None:
        self.answered_at = timezone.now()

    @transition(field=status, source=Status.REQUESTED, target=Status.DECLINED)
    def decline(self) -> None:
        self.answered_at = timezone.now()

    @transition(field=status, source=Status.APPROVED, target=Status.USED)
    def use(self) -> None:
        pass


class DecisionLetter(models.Model):
    """The letter a decision sends to one partner, in that partner's language, rendered once
    when the decision is taken (the officer's reasons quoted in the language they were
    written in)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="decision_letters"
    )
    side = models.CharField(_("side"), max_length=8, choices=PairSide.choices)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    body = models.TextField(_("letter"))
    created_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_DATA = PersonalData(mentions=("body",))

    class Meta:
        ordering = ["application", "side"]
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        constraints = [
            models.UniqueConstraint(fields=["application", "side"], name="one_letter_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.application} ({self.get_side_display()})"
