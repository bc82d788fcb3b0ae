from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.lib import languages
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, PairSide

from .models import Stage

SIDE_CHOICES = [
    (PairSide.SWEDISH, _("the Swedish side")),
    (PairSide.PARTNER, _("the partner side")),
]


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), **kwargs
        )


class AreasField(forms.ModelMultipleChoiceField):
    """Cooperation areas picked by their keys. A key that is no integer the database can hold
    is refused as an invalid value before any query (a lookup with it fails in the database,
    a server error, instead of a message)."""

    LARGEST_KEY = 2**31 - 1  # the largest key every supported database's integer key holds

    def clean(self, value):
        for key in value if isinstance(value, list | tuple) else ():
            text = str(key).strip()
            if not text.isascii() or not text.isdigit() or int(text) > self.LARGEST_KEY:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:40]},
                )
        return super().clean(value)


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    reason = ReasonField()


class ReorderForm(forms.Form):
    position = forms.IntegerField(label=_("New place in the queue"), min_value=1, max_value=100_000)
    reason = ReasonField()


class ProfileForm(forms.Form):
    text = forms.CharField(
        label=_("What you need or offer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    source_language = forms.ChoiceField(label=_("Language of the text"), choices=languages.CHOICES)
    areas: forms.ModelMultipleChoiceField[CooperationArea] = AreasField(
        label=_("Cooperation areas"),
        queryset=CooperationArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    priorities = forms.CharField(label=_("Priorities"), max_length=1000, required=False)
    capacity = forms.IntegerField(
        label=_("Capacity (partnerships at the same time)"), min_value=1, max_value=20, initial=1
    )
    excluded = forms.CharField(
        label=_(
            "Municipalities you do not want to be matched with "
            "(official codes, separated by commas)"
        ),
        max_length=1000,
        required=False,
    )
    contact_name = forms.CharField(
        label=_("Contact person (not public)"), max_length=200, required=False
    )
    contact_email = forms.EmailField(label=_("Contact e-mail (not public)"), required=False)
    contact_phone = forms.CharField(
        label=_("Contact telephone (not public)"), max_length=50, required=False
    )

    def clean_excluded(self) -> list[Municipality]:
        codes = [c.strip().upper() for c in self.cleaned_data["excluded"].split(",") if c.strip()]
        found = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("Unknown municipality codes: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        return list(found.values())


class ProposeForm(forms.Form):
    swedish = forms.CharField(label=_("Swedish municipality (code)"), max_length=32)
    partner = forms.CharField(label=_("Partner municipality (code)"), max_length=32)
    note = forms.CharField(
        label=_("Why this match"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class _SideForm(forms.Form):
    """A form answering for one side of a pair: only the sides the person may answer for are
    offered, and posting another is refused with a message (never dropped in silence)."""

    def __init__(self, *args, sides: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["side"])
        allowed = [(v, label) for v, label in SIDE_CHOICES if sides is None or v in sides]
        field.choices = allowed
        field.error_messages["invalid_choice"] = _(
            "You may not answer for this side of the pair: only for %(sides)s."
        ) % {"sides": ", ".join(str(label) for _value, label in allowed) or "–"}


class DeclineNeedsReason(forms.Form):
    """A form with a `decision` and a `reason`: declining needs a reason (the other side or the
    person is told why)."""

    def clean(self):
        data = super().clean() or self.cleaned_data
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Please state a reason."))
        return data


class RespondForm(DeclineNeedsReason, _SideForm):
    side = forms.ChoiceField(
        label=_("Answer for"),
        choices=SIDE_CHOICES,
    )
    decision = forms.ChoiceField(
        label=_("Answer"),
        widget=forms.RadioSelect,
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
    )
    reason = forms.CharField(
        label=_("Reason (required when declining)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConfirmForm(_SideForm):
    side = forms.ChoiceField(
        label=_("Confirm for"),
        choices=SIDE_CHOICES,
    )


# Joining by oneself ----------------------------------------------------------------------------


class JoinForm(forms.Form):
    """What a municipality that joins by itself tells: who writes, and what it needs or offers.
    The municipality was picked on the page before (its official code comes back here); the
    text is in the page's language."""

    municipality = forms.CharField(widget=forms.HiddenInput, max_length=32)
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your work e-mail address"),
        max_length=254,
        help_text=_("We send a link to this address; open it to confirm the request."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    areas: forms.ModelMultipleChoiceField[CooperationArea] = AreasField(
        label=_("Cooperation areas"),
        queryset=CooperationArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one cooperation area.")},
    )
    text = forms.CharField(
        label=_("What your municipality needs or offers"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    capacity = forms.IntegerField(
        label=_("Capacity (partnerships at the same time)"), min_value=1, max_value=20, initial=1
    )

    def __init__(self, *args, municipality: Municipality | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipality is not None:
            self.fields["text"].label = (
                _("What your municipality offers, by cooperation area")
                if municipality.country_id == "SE"
                else _("What your municipality needs, by cooperation area")
            )

    def clean_municipality(self) -> Municipality:
        code = self.cleaned_data["municipality"].strip().upper()
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise forms.ValidationError(
                _("There is no municipality with the code “%(code)s”. Please search again."),
                params={"code": code},
            )
        return municipality


class JoinDecisionForm(DeclineNeedsReason):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("verify", _("Verify: the municipality joins the queue")),
            ("decline", _("Decline")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason (required when declining; the person is told)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QueueFilterForm(forms.Form):
    """The officer's filters of the queue: one country, one stage, one cooperation area."""

    country = forms.ChoiceField(label=_("Country"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    area = forms.ChoiceField(label=_("Cooperation area"), required=False)

    def __init__(self, *args, countries: list[tuple[str, str]], areas: list[tuple[str, str]], **kw):
        super().__init__(*args, **kw)
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            ("", _("All countries")),
            *countries,
        ]
        cast(forms.ChoiceField, self.fields["area"]).choices = [
            ("", _("All cooperation areas")),
            *areas,
        ]
