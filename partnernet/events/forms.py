"""Forms of the event pages: they parse, the services decide."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnernet.documents.models import Document
from partnernet.lib.choices import ModelIdsField
from partnernet.lib.languages import CHOICES as LANGUAGE_CHOICES
from partnernet.lib.languages import LANGUAGES
from partnernet.lib.languages import NAMES as LANGUAGE_NAMES

from .models import STOCKHOLM, Event, zone_choices
from .services import EventFields

LOCAL = "%Y-%m-%dT%H:%M"
FIRST_YEAR, LAST_YEAR = 1900, 2200


def local_input(moment: datetime, zone: str) -> str:
    """A stored time as the `datetime-local` value in the event's zone."""
    return moment.astimezone(ZoneInfo(zone)).strftime(LOCAL)


class EventForm(forms.Form):
    source_language = forms.ChoiceField(
        label=_("Original language of the texts"), choices=LANGUAGE_CHOICES, initial="sv"
    )
    starts = forms.DateTimeField(
        label=_("Starts (local time of the event)"),
        input_formats=[LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL),
    )
    ends = forms.DateTimeField(
        label=_("Ends (local time of the event)"),
        input_formats=[LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), initial=STOCKHOLM)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(
        label=_("Online meeting link (shown only to registered people)"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    capacity = forms.IntegerField(
        label=_("Places (empty: no limit)"), min_value=1, max_value=100_000, required=False
    )
    partnership_quota = forms.IntegerField(
        label=_("Places per partnership (empty: no limit)"),
        min_value=1,
        max_value=100_000,
        required=False,
    )
    is_public = forms.BooleanField(
        label=_("Public: anyone may see it and the network's public calendar carries it"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, event: Event | None = None, registered: int = 0, **kwargs):
        self.registered = registered
        if event is not None and not kwargs.get("initial") and not args:
            kwargs["initial"] = self.initial_for(event)
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()  # type: ignore[attr-defined]
        for lang in LANGUAGES:
            self.fields[f"title_{lang}"] = forms.CharField(
                label=_("Title in %(language)s") % {"language": LANGUAGE_NAMES[lang]},
                max_length=200,
                required=False,
            )
            self.fields[f"agenda_{lang}"] = forms.CharField(
                label=_("Agenda in %(language)s") % {"language": LANGUAGE_NAMES[lang]},
                widget=forms.Textarea(attrs={"rows": 6}),
                required=False,
            )

    @staticmethod
    def initial_for(event: Event) -> dict:
        initial = {
            "source_language": event.source_language,
            "starts": local_input(event.starts_at, event.time_zone),
            "ends": local_input(event.ends_at, event.time_zone),
            "time_zone": event.time_zone,
            "place": event.place,
            "online_url": event.online_url,
            "capacity": event.capacity,
            "partnership_quota": event.partnership_quota,
            "is_public": event.is_public,
        }
        for lang in LANGUAGES:
            initial[f"title_{lang}"] = getattr(event, f"title_{lang}") or ""
            initial[f"agenda_{lang}"] = getattr(event, f"agenda_{lang}") or ""
        return initial

    def _in_zone(self, value: datetime | None, zone: str) -> datetime | None:
        """The wall-clock time typed, read in the event's own zone."""
        if value is None:
            return None
        naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        return naive.replace(tzinfo=ZoneInfo(zone))

    def clean(self) -> dict:
        data = super().clean() or {}
        zone = data.get("time_zone") or STOCKHOLM
        starts = self._in_zone(data.get("starts"), zone)
        ends = self._in_zone(data.get("ends"), zone)
        data["starts"], data["ends"] = starts, ends
        for name, moment in (("starts", starts), ("ends", ends)):
            if moment is not None and not FIRST_YEAR <= moment.year <= LAST_YEAR:
                # Far from today a time may not fit the calendar once moved to UTC or another
                # zone (year 1, year 9999): refused with a message, not a 500.
                self.add_error(
                    name,
                    _("Give a time between the years %(first)s and %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
                data[name] = None
        starts, ends = data["starts"], data["ends"]
        if starts and ends and ends <= starts:
            self.add_error("ends", _("The event must end after it starts."))
        capacity = data.get("capacity")
        if capacity is not None and capacity < self.registered:
            self.add_error(
                "capacity",
                _("%(taken)s people are registered already: the places cannot be fewer.")
                % {"taken": self.registered},
            )
        source = data.get("source_language") or "sv"
        if not (data.get(f"title_{source}") or "").strip():
            self.add_error(f"title_{source}", _("Write the title in the original language."))
        if not (data.get("place") or "").strip() and not data.get("online_url"):
            self.add_error("place", _("Give a place or an online meeting link (or both)."))
        return data

    def fields_value(self) -> EventFields:
        data = self.cleaned_data
        return EventFields(
            starts_at=data["starts"],
            ends_at=data["ends"],
            time_zone=data["time_zone"],
            titles={lang: data.get(f"title_{lang}") or "" for lang in LANGUAGES},
            agendas={lang: data.get(f"agenda_{lang}") or "" for lang in LANGUAGES},
            source_language=data["source_language"],
            place=data.get("place") or "",
            online_url=data.get("online_url") or "",
            capacity=data.get("capacity"),
            partnership_quota=data.get("partnership_quota"),
            is_public=bool(data.get("is_public")),
        )


class RegistrationForm(forms.Form):
    partnership = forms.TypedChoiceField(
        label=_("I come for the partnership"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, partnerships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.partnerships = {p.pk: p for p in partnerships}
        choices: list[tuple[object, object]] = [("", _("none (I come on my own behalf)"))]
        choices += [(p.pk, str(p)) for p in partnerships]
        self.fields["partnership"].choices = choices  # type: ignore[attr-defined]
        if len(partnerships) == 1:
            self.fields["partnership"].initial = partnerships[0].pk

    def chosen(self):
        pk = self.cleaned_data.get("partnership")
        return self.partnerships.get(pk) if pk is not None else None


class MaterialsForm(forms.Form):
    documents: forms.ModelMultipleChoiceField = ModelIdsField(
        label=_("Documents shared with the participants"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, available=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = available  # type: ignore[attr-defined]
