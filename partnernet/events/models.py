"""A network's meetings (kick-off, follow-ups, trainings) with registration, a waiting list,
quotas per partnership, attendance and materials; and each person's secret calendar address.

Times are stored in UTC with the event's own time zone name (`time_zone`), shown in Stockholm
and Kyiv time as well. `sequence` is the RFC 5545 SEQUENCE: raised by every change a calendar
carries (time, place, texts, cancellation). State changes only through `events.services`."""

from zoneinfo import available_timezones

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from partnernet.audit.personal import DELETE, PersonalData
from partnernet.documents.models import Document
from partnernet.partnerships.models import Network, Partnership, TranslatedText

STOCKHOLM, KYIV = "Europe/Stockholm", "Europe/Kyiv"
# The zones offered first in the form (the programme's), then every other IANA zone.
MAIN_ZONES = (STOCKHOLM, KYIV, "Europe/Helsinki", "Europe/Berlin", "UTC")


def zone_choices() -> list[tuple[str, str]]:
    others = sorted(available_timezones() - set(MAIN_ZONES))
    return [(zone, zone) for zone in (*MAIN_ZONES, *others)]


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    CANCELLED = "cancelled", _("cancelled")


class Event(FSMModelMixin, TranslatedText):
    """One meeting of a network: in a place, online, or both."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default=STOCKHOLM)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    partnership_quota = models.PositiveIntegerField(
        _("places per partnership"), null=True, blank=True
    )
    is_public = models.BooleanField(_("public"), default=True)
    status = FSMField(
        _("status"), default=EventStatus.SCHEDULED, choices=EventStatus.choices, protected=True
    )
    sequence = models.PositiveIntegerField(default=0)
    materials = models.ManyToManyField(
        Document, blank=True, related_name="events", verbose_name=_("materials")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    TRANSLATED_FIELDS = ("title", "agenda")
    PERSONAL_DATA = PersonalData(mentions=("title", "agenda"))

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["network", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.network.slug, "pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @transition(field=status, source=EventStatus.SCHEDULED, target=EventStatus.CANCELLED)
    def cancel(self) -> None:
        """Cancelled: registrations are refused, calendars carry STATUS:CANCELLED."""


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


class Registration(FSMModelMixin, models.Model):
    """One person's place at an event (or on its waiting list), for a partnership they belong
    to if they come for one. The waiting list is ordered by `waiting_since`, then id."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("partnership"),
    )
    status = FSMField(
        _("status"),
        default=RegistrationStatus.REGISTERED,
        choices=RegistrationStatus.choices,
        protected=True,
    )
    waiting_since = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    PERSONAL_DATA = PersonalData(subject="person")

    class Meta:
        ordering = ["event", "created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=models.Q(status__in=["registered", "waiting"]),
                name="one_active_registration_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"registration #{self.pk}"

    @transition(
        field=status, source=RegistrationStatus.WAITING, target=RegistrationStatus.REGISTERED
    )
    def promote(self) -> None:
        """A place came free: the first waiting person who fits moves up."""

    @transition(field=status, source=list(ACTIVE), target=RegistrationStatus.CANCELLED)
    def cancel(self) -> None:
        """The person cancelled (or a manager did for them)."""


class CalendarFeed(models.Model):
    """A person's secret calendar address: only the SHA-256 of its token is kept, so the
    address is shown once, when it is made; resetting it makes the old one answer 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    PERSONAL_DATA = PersonalData(subject="user", secrets=("token_digest",), on_erase=DELETE)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return f"calendar feed #{self.pk}"
