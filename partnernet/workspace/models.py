"""A partnership's workspace after the grant: its team on both sides and its activity plan
(visits, workshops, digital meetings, trainings)."""

from typing import cast

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, can_proceed, transition

from partnernet.audit.personal import PersonalData
from partnernet.grants.models import BudgetLine, ResultStatement
from partnernet.lib.languages import CHOICES as LANGUAGE_CHOICES
from partnernet.partnerships.models import PairSide, Partnership


class TeamRole(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    POLITICIAN_MAJORITY = "politician_majority", _("politician (majority)")
    POLITICIAN_OPPOSITION = "politician_opposition", _("politician (opposition)")
    CIVIL_SERVANT = "civil_servant", _("civil servant")
    STEERING_GROUP_MEMBER = "steering_group_member", _("steering-group member")
    PROJECT_MEMBER = "project_member", _("project member")


class TeamMember(models.Model):
    """A person in a partnership's team, on one side, with a partnership-scoped role. An
    invited person without an account yet is named by name and e-mail; `user` is set when
    they accept."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="team_members"
    )
    side = models.CharField(_("side"), max_length=8, choices=PairSide.choices)
    team_role = models.CharField(_("role in the team"), max_length=24, choices=TeamRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="team_memberships",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)

    PERSONAL_DATA = PersonalData(
        subject="user", identity=("name", "email"), attributes=("position",)
    )

    class Meta:
        ordering = ["partnership", "side", "team_role", "name", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user", "team_role"],
                condition=models.Q(user__isnull=False),
                name="one_team_role_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_team_role_display()})"


class ActivityKind(models.TextChoices):
    VISIT = "visit", _("visit")
    WORKSHOP = "workshop", _("workshop")
    DIGITAL_MEETING = "digital_meeting", _("digital meeting")
    TRAINING = "training", _("training")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("done")
    POSTPONED = "postponed", _("postponed")
    CANCELLED = "cancelled", _("cancelled")


class Activity(FSMModelMixin, models.Model):
    """One planned activity of a partnership; state changes only through its transitions
    (`workspace.services`)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    # For a visit: the side that travels to the other (blank for other kinds).
    travelling_side = models.CharField(
        _("travelling side"), max_length=8, choices=PairSide.choices, blank=True
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    results = models.ManyToManyField(
        ResultStatement, blank=True, related_name="activities", verbose_name=_("results")
    )
    participants = models.ManyToManyField(
        TeamMember, blank=True, related_name="activities", verbose_name=_("participants")
    )
    status = FSMField(
        _("status"), default=ActivityStatus.PLANNED, choices=ActivityStatus.choices, protected=True
    )
    report = models.TextField(_("short report"), blank=True)
    report_language = models.CharField(
        _("language of the report"), max_length=2, choices=LANGUAGE_CHOICES, blank=True
    )
    planned_cost = models.DecimalField(
        _("planned cost (SEK)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    actual_cost = models.DecimalField(
        _("actual cost (SEK)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("budget line"),
    )
    # Shown on the public partnership page once done (with its short report).
    is_public = models.BooleanField(_("show on the public page when done"), default=False)
    # RFC 5545 SEQUENCE: raised on every change a calendar should carry.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Optimistic concurrency: raised on every save through the services; an edit form carries
    # the version it was read at, and a save from an older one is refused.
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    PERSONAL_DATA = PersonalData(mentions=("title", "purpose", "report", "place"))

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["partnership", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    # Guarded transitions: the services check who may call them, lock the row and record each.
    @transition(
        field=status,
        source=ActivityStatus.PLANNED,
        target=ActivityStatus.DONE,
        conditions=[lambda a: cast("Activity", a).has_report()],
    )
    def mark_done(self) -> None:
        """Done, with a short report in a known language."""

    @transition(field=status, source=ActivityStatus.PLANNED, target=ActivityStatus.POSTPONED)
    def postpone(self) -> None:
        """Postponed to new dates (set by the service before the step)."""

    @transition(field=status, source=ActivityStatus.POSTPONED, target=ActivityStatus.PLANNED)
    def replan(self) -> None:
        """Planned again, on the dates it was postponed to."""

    @transition(
        field=status,
        source=[ActivityStatus.PLANNED, ActivityStatus.POSTPONED],
        target=ActivityStatus.CANCELLED,
    )
    def cancel(self) -> None:
        """Cancelled: it will not take place."""

    def has_report(self) -> bool:
        return bool((self.report or "").strip()) and bool(self.report_language)

    def may(self, step: str, *, guards: bool = True) -> bool:
        """Whether the transition `step` may run from the current status (and, with `guards`,
        whether its guard holds)."""
        return can_proceed(getattr(self, step), check_conditions=guards)

    @property
    def last_day(self):
        return self.ends_on or self.starts_on
