"""Forms of the workspace: they parse what people type; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.grants.models import Application, BudgetLine, ResultStatement
from partnernet.lib.choices import ModelIdsField
from partnernet.lib.languages import CHOICES as LANGUAGE_CHOICES
from partnernet.lib.languages import LANGUAGES
from partnernet.partnerships.models import Partnership

from . import selectors
from .models import Activity, ActivityKind, TeamMember, TeamRole
from .services import ActivityFacts

NOT_IN_TEAM = _("Only members of this partnership's team can take part in its activities.")
NOT_IN_BUDGET = _("Choose a line of this partnership's granted budget.")
NOT_IN_RESULTS = _("Choose results of this partnership's granted application.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def side_choices(partnership: Partnership, sides: list[str] | None = None) -> list[tuple[str, str]]:
    """The two sides named by their municipalities ("Falun", "Kolomyia")."""
    names = {"swedish": partnership.swedish_partner, "partner": partnership.partner}
    return [(side, str(names[side])) for side in sides or ("swedish", "partner")]


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=0, required=False, **kwargs)


class TeamMemberLabel(ModelIdsField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_team_role_display()})"


class BudgetLineChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.category} — {obj.description} ({obj.amount:,.0f} SEK)".replace(",", " ")


class ResultChoice(ModelIdsField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_level_display()}: {obj.text}"


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    travelling_side = forms.ChoiceField(
        label=_("For a visit: who travels"), required=False, choices=()
    )
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea)
    results = ResultChoice(
        label=_("Results it works towards"),
        queryset=ResultStatement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_IN_RESULTS, "invalid_pk_value": NOT_IN_RESULTS},
    )
    participants = TeamMemberLabel(
        label=_("Participants"),
        queryset=TeamMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_IN_TEAM, "invalid_pk_value": NOT_IN_TEAM},
    )
    planned_cost = forms.DecimalField(
        label=_("Planned cost (SEK)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=0,
    )
    actual_cost = forms.DecimalField(
        label=_("Actual cost (SEK)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=0,
    )
    budget_line = BudgetLineChoice(
        label=_("Budget line"),
        queryset=BudgetLine.objects.none(),
        required=False,
        empty_label=_("none"),
        error_messages={"invalid_choice": NOT_IN_BUDGET},
    )
    is_public = forms.BooleanField(
        label=_("Show it on the public partnership page once it is done"), required=False
    )
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        partnership: Partnership,
        application: Application | None,
        activity: Activity | None = None,
        **kwargs: Any,
    ) -> None:
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": activity.kind,
                "title": activity.title,
                "travelling_side": activity.travelling_side,
                "starts_on": activity.starts_on,
                "ends_on": activity.ends_on,
                "place": activity.place,
                "purpose": activity.purpose,
                "results": [r.pk for r in activity.results.all()],
                "participants": [m.pk for m in activity.participants.all()],
                "planned_cost": activity.planned_cost,
                "actual_cost": activity.actual_cost,
                "budget_line": activity.budget_line_id,
                "is_public": activity.is_public,
                "version": activity.version,
            }
        super().__init__(*args, **kwargs)
        names = dict(side_choices(partnership))
        fields: Any = self.fields
        fields["travelling_side"].choices = [
            ("", _("not a visit")),
            ("swedish", _("%(a)s visits %(b)s") % {"a": names["swedish"], "b": names["partner"]}),
            ("partner", _("%(a)s visits %(b)s") % {"a": names["partner"], "b": names["swedish"]}),
        ]
        fields["results"].queryset = selectors.result_statements(application)
        fields["budget_line"].queryset = selectors.budget_lines(application)
        fields["participants"].queryset = selectors.team(partnership)

    def facts(self) -> ActivityFacts:
        data = self.cleaned_data
        return ActivityFacts(
            kind=data["kind"],
            title=data["title"],
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            travelling_side=data.get("travelling_side") or "",
            place=data.get("place") or "",
            purpose=data.get("purpose") or "",
            planned_cost=data.get("planned_cost"),
            actual_cost=data.get("actual_cost"),
            budget_line=data.get("budget_line"),
            results=tuple(data.get("results") or ()),
            participants=tuple(data.get("participants") or ()),
            is_public=bool(data.get("is_public")),
        )


class DoneForm(forms.Form):
    report = forms.CharField(label=_("Short report"), widget=forms.Textarea(attrs={"rows": 5}))
    report_language = forms.ChoiceField(
        label=_("Language of the report"), choices=[("", "—"), *LANGUAGE_CHOICES]
    )
    actual_cost = forms.DecimalField(
        label=_("Actual cost (SEK)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=0,
    )
    is_public = forms.BooleanField(
        label=_("Show it on the public partnership page"), required=False
    )
    version = VersionField()

    def clean_report_language(self) -> str:
        value = self.cleaned_data["report_language"]
        if value not in LANGUAGES:
            raise forms.ValidationError(_("Say which language the report is written in."))
        return value


class PostponeForm(forms.Form):
    starts_on = forms.DateField(label=_("New start"), widget=DateInput())
    ends_on = forms.DateField(label=_("New end"), required=False, widget=DateInput())
    version = VersionField()


class StepForm(forms.Form):
    version = VersionField()


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    team_role = forms.ChoiceField(label=_("Role in the team"), choices=TeamRole.choices)
    side = forms.ChoiceField(label=_("Side"), choices=())
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=LANGUAGE_CHOICES, initial="sv"
    )

    def __init__(self, *args: Any, partnership: Partnership, sides: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["side"].choices = side_choices(partnership, sides)
        if sides == ["partner"]:
            fields["language"].initial = "uk"
