"""The forms of the results plan and of a report's indicator values. Numbers are typed as a
person writes them ("1 234,5") and read by `services.indicators.parse_value`."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partnernet.lib import languages

from .models import PlanIndicator, ResultLevel, ResultsPlan
from .services.indicators import IndicatorEntry, parse_value
from .services.plans import IndicatorFacts

TARGET_ROWS_EXTRA = 2


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class StatementForm(VersionForm):
    level = forms.ChoiceField(label=_("Level"), choices=ResultLevel.choices)
    parent = forms.TypedChoiceField(
        label=_("Belongs to"), coerce=int, required=False, empty_value=None
    )
    text = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 3}))
    language = forms.ChoiceField(label=_("Written in"), choices=languages.CHOICES)

    def __init__(self, *args, plan: ResultsPlan, **kwargs):
        super().__init__(*args, **kwargs)
        parents = [
            (s.pk, f"{s.get_level_display()}: {s.text[:70]}")
            for s in plan.statements.exclude(level=ResultLevel.OUTPUT)
        ]
        parent = self.fields["parent"]
        assert isinstance(parent, forms.TypedChoiceField)
        parent.choices = [("", _("— (the objective belongs to none)")), *parents]


class StatementTextForm(VersionForm):
    text = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 3}))


def _number(text: str, required: bool) -> Decimal | None:
    value = parse_value(text)
    if value is None and required:
        raise ValidationError(_("Give a number."))
    return value


class IndicatorForm(VersionForm):
    name = forms.CharField(label=_("Indicator"), max_length=300)
    unit = forms.CharField(
        label=_("Unit"), max_length=50, required=False, help_text=_("For example %, people, days")
    )
    baseline_value = forms.CharField(label=_("Baseline value"), max_length=30)
    baseline_date = forms.DateField(
        label=_("Baseline date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, indicator: PlanIndicator | None = None, **kwargs):
        targets = list(indicator.targets.all()) if indicator is not None else []
        if indicator is not None and not kwargs.get("initial") and not args:
            initial: dict[str, object] = {
                "name": indicator.name,
                "unit": indicator.unit,
                "baseline_value": f"{indicator.baseline_value.normalize():f}",
                "baseline_date": indicator.baseline_date,
            }
            for n, target in enumerate(targets):
                initial[f"target_year_{n}"] = target.year
                initial[f"target_value_{n}"] = f"{target.value.normalize():f}"
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.target_count = len(targets) + TARGET_ROWS_EXTRA
        for n in range(self.target_count):
            self.fields[f"target_year_{n}"] = forms.IntegerField(
                label=_("Target year %(n)s") % {"n": n + 1},
                required=False,
                min_value=1900,
                max_value=2200,
            )
            self.fields[f"target_value_{n}"] = forms.CharField(
                label=_("Target value %(n)s") % {"n": n + 1}, required=False, max_length=30
            )

    def clean_baseline_value(self) -> Decimal | None:
        return _number(self.cleaned_data["baseline_value"], required=True)

    def target_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"target_year_{n}"], self[f"target_value_{n}"]) for n in range(self.target_count)
        ]

    def clean(self) -> dict:
        data = super().clean() or {}
        targets = []
        for n in range(self.target_count):
            year = data.get(f"target_year_{n}")
            text = self.data.get(self.add_prefix(f"target_value_{n}"), "") if self.is_bound else ""
            try:
                value = parse_value(text)
            except ValidationError as error:
                self.add_error(f"target_value_{n}", error)
                continue
            if year is None and value is None:
                continue
            if year is None or value is None:
                self.add_error(
                    f"target_year_{n}" if year is None else f"target_value_{n}",
                    _("Give both the year and the value of the target."),
                )
                continue
            targets.append((year, value))
        data["targets"] = tuple(targets)
        return data

    def facts(self) -> IndicatorFacts:
        data = self.cleaned_data
        return IndicatorFacts(
            name=data["name"],
            unit=data.get("unit") or "",
            baseline_value=data["baseline_value"],
            baseline_date=data.get("baseline_date"),
            targets=data["targets"],
        )


class ProposeForm(VersionForm):
    change_note = forms.CharField(
        label=_("What changed and why"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the team"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def indicator_entries(data, indicator_ids: list[int]) -> list[IndicatorEntry]:
    """The values and comments a posted indicators form holds, for the given indicators; an
    indicator id the form names that is not among them is passed on (the service refuses)."""
    ids = list(indicator_ids)
    for key in data:
        if key.startswith("value-"):
            try:
                pk = int(key.removeprefix("value-"))
            except ValueError:
                continue
            if pk not in ids:
                ids.append(pk)
    return [
        IndicatorEntry(
            indicator_id=pk,
            value=data.get(f"value-{pk}", ""),
            comment=data.get(f"comment-{pk}", ""),
        )
        for pk in ids
        if f"value-{pk}" in data or f"comment-{pk}" in data
    ]
