"""What a partnership reports after the grant: its results plan (the logical framework), the
reports its agreement schedules (with their reminders), what each report says (narrative,
indicator actuals, expenditures with receipts), and the reimbursement that follows approval.

State only changes through the guarded transitions below, called from `services/` (which lock
the row, audit the change and tell people after the commit).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from partnernet.audit.personal import PersonalData
from partnernet.documents.models import Document
from partnernet.grants.models import Agreement, Application, BudgetLine, Component, CostCategory
from partnernet.lib.languages import CHOICES as LANGUAGE_CHOICES
from partnernet.partnerships.models import Partnership, TranslatedText


# The results plan -------------------------------------------------------------------------------
class PlanState(models.TextChoices):
    """A plan's life: the team writes a draft; an officer's acceptance makes it the approved
    plan (the one reports are measured against); the approved plan it replaces is kept as
    superseded, so every earlier version stays readable."""

    DRAFT = "draft", _("draft")
    PROPOSED = "proposed", _("waiting for the officer's acceptance")
    APPROVED = "approved", _("approved")
    SUPERSEDED = "superseded", _("replaced by a later version")
    DECLINED = "declined", _("not accepted")


OPEN_PLAN_STATES = (PlanState.DRAFT, PlanState.PROPOSED)


class ResultsPlan(FSMModelMixin, models.Model):
    """One version of a partnership's logical-framework plan for one phase (component)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="results_plans"
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The application the plan was first written in."),
    )
    component = models.CharField(_("phase"), max_length=20, choices=Component.choices)
    state = FSMField(
        _("state"),
        max_length=12,
        default=PlanState.DRAFT,
        choices=PlanState.choices,
        protected=True,
    )
    # The approved version this one changes (a change after approval), or the last approved
    # plan of the previous phase it was carried from.
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions"
    )
    # Bumped by every change of the plan's content: a save based on an older one is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    change_note = models.TextField(_("what changed and why"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("the officer's note"), blank=True)

    PERSONAL_DATA = PersonalData(mentions=("change_note", "decision_note"))

    class Meta:
        ordering = ["partnership", "-created_at", "-id"]
        verbose_name = _("results plan")
        verbose_name_plural = _("results plans")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(state="approved"),
                name="one_approved_plan_per_partnership",
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(state__in=["draft", "proposed"]),
                name="one_open_plan_per_partnership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} – {self.get_component_display()} ({self.get_state_display()})"

    @transition(field=state, source=PlanState.DRAFT, target=PlanState.PROPOSED)
    def propose(self) -> None:
        self.proposed_at = timezone.now()

    @transition(
        field=state, source=[PlanState.DRAFT, PlanState.PROPOSED], target=PlanState.APPROVED
    )
    def accept(self) -> None:
        self.decided_at = timezone.now()

    @transition(field=state, source=PlanState.PROPOSED, target=PlanState.DECLINED)
    def decline(self) -> None:
        self.decided_at = timezone.now()

    @transition(field=state, source=PlanState.PROPOSED, target=PlanState.DRAFT)
    def reopen(self) -> None:
        """Taken back by the team for more changes before the officer answers."""

    @transition(field=state, source=PlanState.APPROVED, target=PlanState.SUPERSEDED)
    def supersede(self) -> None:
        pass


class ResultLevel(models.TextChoices):
    OBJECTIVE = "objective", _("objective")
    OUTCOME = "outcome", _("outcome")
    OUTPUT = "output", _("output")


class PlanStatement(models.Model):
    """One line of the logical framework: the objective, an outcome, an output."""

    plan = models.ForeignKey(ResultsPlan, on_delete=models.CASCADE, related_name="statements")
    level = models.CharField(_("level"), max_length=10, choices=ResultLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    text = models.TextField(_("statement"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="sv")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The same statement in every version of the plan (carried and revised copies share it).
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)

    PERSONAL_DATA = PersonalData(mentions=("text",))

    class Meta:
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "lineage"], name="one_statement_per_lineage")
        ]

    def __str__(self) -> str:
        return self.text[:80]


class PlanIndicator(models.Model):
    """How progress towards a statement is measured: a unit, a baseline and targets."""

    statement = models.ForeignKey(
        PlanStatement, on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["statement", "order", "id"]

    def __str__(self) -> str:
        return self.name


class PlanTarget(models.Model):
    """The value an indicator should reach by the end of one period (an accounting year)."""

    indicator = models.ForeignKey(PlanIndicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


# Reports and their schedule ---------------------------------------------------------------------
class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("annual report")
    FINAL = "final", _("final report")
    MILESTONE = "milestone", _("milestone report")
    ADHOC = "adhoc", _("ad-hoc report")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned for changes")
    APPROVED = "approved", _("approved")


# The states in which the team writes the report (reminders are sent while it is in one).
WRITABLE_REPORT_STATES = (ReportState.DRAFT, ReportState.RETURNED)


class Report(FSMModelMixin, models.Model):
    """One report a partnership owes: scheduled from its agreement (annual per component and
    accounting year, final) or added by an officer (milestone, ad hoc) with any date."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reports")
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices)
    component = models.CharField(_("component"), max_length=20, choices=Component.choices)
    accounting_year = models.PositiveSmallIntegerField(_("accounting year"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due"))
    state = FSMField(
        _("state"),
        max_length=10,
        default=ReportState.DRAFT,
        choices=ReportState.choices,
        protected=True,
    )
    # Bumped by every change of the report's results and finances (sections carry their own).
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["state", "due_on"], name="report_state_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "component", "accounting_year"],
                condition=models.Q(kind="annual"),
                name="one_annual_report_per_year",
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=models.Q(kind="final"),
                name="one_final_report_per_agreement",
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="report_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        if self.title:
            return self.title
        if self.kind == ReportKind.ANNUAL and self.accounting_year:
            return f"{self.get_kind_display()} {self.accounting_year}"
        return str(self.get_kind_display())

    @property
    def is_writable(self) -> bool:
        return self.state in WRITABLE_REPORT_STATES

    @transition(
        field=state, source=[ReportState.DRAFT, ReportState.RETURNED], target=ReportState.SUBMITTED
    )
    def submit(self) -> None:
        self.submitted_at = timezone.now()

    @transition(field=state, source=ReportState.SUBMITTED, target=ReportState.RETURNED)
    def return_for_changes(self) -> None:
        self.decided_at = timezone.now()

    @transition(field=state, source=ReportState.SUBMITTED, target=ReportState.APPROVED)
    def approve(self) -> None:
        self.decided_at = timezone.now()


class ReportSection(TranslatedText):
    """One narrative section of a report, written in one language and translated, by
    co-writers who never overwrite each other (`version`, as an application's sections)."""

    class Key(models.TextChoices):
        SUMMARY = "summary", _("Summary of the period")
        ACTIVITIES = "activities", _("Activities carried out")
        RESULTS = "results", _("Results and changes")
        LESSONS = "lessons", _("Lessons, risks and next steps")
        FINANCES = "finances", _("Comments on the finances")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("section"), max_length=20, choices=Key.choices)
    text = models.TextField(_("text"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    TRANSLATED_FIELDS = ("text",)
    PERSONAL_DATA = PersonalData(mentions=("text",))

    class Meta:
        ordering = ["report", "key"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="one_report_section_per_key")
        ]

    def __str__(self) -> str:
        return str(self.get_key_display())


class ReviewPart(models.TextChoices):
    """What an officer's comment is about: a narrative section, the results, the finances."""

    SUMMARY = "summary", _("Summary of the period")
    ACTIVITIES = "activities", _("Activities carried out")
    RESULTS = "results", _("Results and changes")
    LESSONS = "lessons", _("Lessons, risks and next steps")
    FINANCES = "finances", _("Comments on the finances")
    INDICATORS = "indicators", _("Indicator values")
    EXPENDITURES = "expenditures", _("Expenditures")


class ReviewComment(models.Model):
    """An officer's comment on one part of a submitted report, kept with the decision."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="review_comments")
    part = models.CharField(_("part"), max_length=20, choices=ReviewPart.choices)
    text = models.TextField(_("comment"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="sv")
    # The decision it was given with: "returned" or "approved".
    decision = models.CharField(_("decision"), max_length=10, choices=ReportState.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_DATA = PersonalData(subject="author", mentions=("text",))

    class Meta:
        ordering = ["report", "-created_at", "part", "id"]

    def __str__(self) -> str:
        return f"{self.report} – {self.get_part_display()}"


class ReportReminder(models.Model):
    """One reminder of one report, `offset_days` from its due date (negative: before). Sent at
    most once per due date; `due_on` is the due date it was computed for, so moving the due date
    recomputes the reminders still pending (`services.reminders`)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    offset_days = models.SmallIntegerField(_("days from the due date"))
    due_on = models.DateField(_("due date it was computed for"))
    send_on = models.DateField(_("send on"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["report", "send_on", "offset_days"]
        indexes = [models.Index(fields=["sent_at", "send_on"], name="reminder_pending")]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "offset_days"], name="one_reminder_per_offset"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.offset_days:+d} ({self.send_on})"


class IndicatorValue(models.Model):
    """The value an indicator reached in a report's period, with the team's comment."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(PlanIndicator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    PERSONAL_DATA = PersonalData(mentions=("comment",))

    class Meta:
        ordering = ["report", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


# Money ------------------------------------------------------------------------------------------
class Currency(models.TextChoices):
    SEK = "SEK", "SEK"
    EUR = "EUR", "EUR"
    UAH = "UAH", "UAH"
    USD = "USD", "USD"


class ExchangeRate(models.Model):
    """A recorded rate: how many SEK one unit of `currency` cost on `on` (the Riksbank's
    rate, or the bank's rate of the payment). Offered when an expenditure is entered; the
    expenditure keeps its own copy, so a later correction here changes no reported cost."""

    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    on = models.DateField(_("date"))
    rate = models.DecimalField(_("SEK per unit"), max_digits=12, decimal_places=6)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["currency", "-on"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "on"], name="one_rate_per_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.on}: {self.rate}"


class ExpenditureImport(models.Model):
    """An uploaded expenditure file between its preview and the person's confirmation: the
    parsed rows and every error with its line; nothing reaches `Expenditure` before confirming
    a file without errors."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("imported")
        DISCARDED = "discarded", _("discarded")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(_("file"), max_length=255)
    rows = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    PERSONAL_DATA = PersonalData(mentions=("rows", "file_name"))

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class Expenditure(models.Model):
    """One actual cost of a report's period, in SEK: paid in SEK, or in another currency and
    converted at the rate recorded with it. Receipts are the partnership's documents."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="expenditures")
    category = models.ForeignKey(
        CostCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("cost category")
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenditures",
        verbose_name=_("budget line"),
    )
    description = models.CharField(_("description"), max_length=300)
    paid_on = models.DateField(_("paid on"))
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.SEK
    )
    amount = models.DecimalField(_("amount paid"), max_digits=12, decimal_places=2)
    rate = models.DecimalField(_("SEK per unit"), max_digits=12, decimal_places=6, default=1)
    rate_date = models.DateField(_("date of the rate"))
    amount_sek = models.DecimalField(_("amount (SEK)"), max_digits=12, decimal_places=2)
    receipts = models.ManyToManyField(
        Document, blank=True, related_name="expenditures", verbose_name=_("receipts")
    )
    imported_from = models.ForeignKey(
        ExpenditureImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenditures",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_DATA = PersonalData(mentions=("description",))

    class Meta:
        ordering = ["report", "paid_on", "id"]
        indexes = [models.Index(fields=["report", "category"], name="expenditure_category")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="expenditure_positive"),
            models.CheckConstraint(
                condition=models.Q(rate__gt=0), name="expenditure_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount_sek} SEK"


class Reimbursement(models.Model):
    """What the funder paid the Swedish partner for one approved report: one per report."""

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="reimbursement")
    amount = models.DecimalField(_("amount (SEK)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_DATA = PersonalData(subject="recorded_by")

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("reimbursement")
        verbose_name_plural = _("reimbursements")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="reimbursement_positive")
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.amount} SEK"
