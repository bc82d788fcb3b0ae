from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partnernet.accounts.models import Role, User
from partnernet.lib.languages import LANGUAGES
from partnernet.lib.uploads import validate_pdf
from partnernet.partnerships.models import CooperationArea, Network

from .drafts import FieldEdit, SectionEdit, base_of
from .models import (
    CALL_TEXTS,
    RUBRIC,
    SCORE_MAX,
    SCORE_MIN,
    ApplicationSection,
    Call,
    CostCategory,
    ResultStatement,
    Side,
    TeamMember,
)
from .selectors import field_base, municipality_by_code
from .services import CALL_FACTS

MAX_REVIEWS = 20  # the most completed reviews a call may ask for
LANGUAGE_NAMES = {"sv": _("Swedish"), "uk": _("Ukrainian"), "en": _("English")}


def model_choice(field: forms.Field) -> forms.ModelChoiceField[Any]:
    """A form's field declared as a ModelChoiceField, typed as one (to set its queryset)."""
    return cast("forms.ModelChoiceField[Any]", field)


TEXT_LABELS = {
    "title": _("Title"),
    "guidelines": _("Guidelines"),
    "eligibility": _("Who may apply"),
    "criteria": _("Assessment criteria"),
}
CALL_TEXT_FIELDS = [f"{field}_{lang}" for field in CALL_TEXTS for lang in LANGUAGES]


class CallForm(forms.ModelForm):
    """A call's facts and its texts in three languages; the title in the original language is
    required (the other texts are needed before the call is opened, not to save a draft)."""

    class Meta:
        model = Call
        fields = [
            "network",
            "component",
            "region",
            "source_language",
            *CALL_TEXT_FIELDS,
            "opens_at",
            "closes_at",
            "budget",
            "min_reviews",
        ]
        labels = {
            "source_language": _("Original language of the texts"),
            "opens_at": _("Opens (Swedish time; empty: open all year)"),
            "closes_at": _("Closes (Swedish time; empty: open all year)"),
        }
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in CALL_TEXT_FIELDS
                if not name.startswith("title_")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice(self.fields["network"]).queryset = Network.objects.all()
        # Left out, the original language stays what it was (Swedish for a new call).
        self.fields["source_language"].required = False
        for field in CALL_TEXTS:
            for lang in LANGUAGES:
                self.fields[f"{field}_{lang}"].label = _("%(text)s in %(language)s") % {
                    "text": TEXT_LABELS[field],
                    "language": LANGUAGE_NAMES[lang],
                }

        self.fields["min_reviews"].required = False
        # A call asks for a few reviews: a larger number only forces an exception on every
        # grant (and beyond 32 767 it does not fit the column on PostgreSQL).
        reviews = cast(forms.IntegerField, self.fields["min_reviews"])
        reviews.max_value = MAX_REVIEWS
        reviews.validators.append(MaxValueValidator(MAX_REVIEWS))
        reviews.widget.attrs["max"] = str(MAX_REVIEWS)

    def clean_min_reviews(self) -> int:
        value = self.cleaned_data.get("min_reviews")
        return 1 if value is None else value

    def clean_budget(self):
        budget = self.cleaned_data.get("budget")
        if budget is not None and budget < 0:
            raise forms.ValidationError(_("The budget cannot be negative."))
        return budget

    def clean(self):
        data = super().clean() or self.cleaned_data
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The call must close after it opens."))
        source = data.get("source_language") or self.instance.source_language or "sv"
        data["source_language"] = source
        if not (data.get(f"title_{source}") or "").strip() and f"title_{source}" in self.fields:
            self.add_error(
                f"title_{source}", _("Write the title in the original language of the texts.")
            )
        return data

    def service_arguments(self) -> dict:
        """The form's values as `call_update` takes them."""
        data = self.cleaned_data
        return {
            "facts": {name: data[name] for name in CALL_FACTS},
            "texts": {name: data.get(name) or "" for name in CALL_TEXT_FIELDS},
            "source_language": data["source_language"],
        }


class StartForm(forms.Form):
    call: forms.ModelChoiceField[Call] = forms.ModelChoiceField(
        label=_("Call"), queryset=Call.objects.none()
    )
    own = forms.ChoiceField(label=_("Your municipality"))
    partner_code = forms.CharField(
        label=_("Partner municipality's official code"),
        max_length=32,
        help_text=_("Kommunkod (for example 2080) or KATOTTG code (UA…)."),
    )
    area: forms.ModelChoiceField[CooperationArea] = forms.ModelChoiceField(
        label=_("Cooperation area"), queryset=CooperationArea.objects.all()
    )
    title = forms.CharField(label=_("Title"), max_length=250)

    def __init__(self, *args, calls, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice(self.fields["call"]).queryset = calls
        own = cast(forms.ChoiceField, self.fields["own"])
        own.choices = [(m.pk, str(m)) for m in municipalities]

    def clean_partner_code(self):
        partner = municipality_by_code(self.cleaned_data["partner_code"])
        if partner is None:
            raise forms.ValidationError(_("No municipality has this code."))
        return partner


class SectionsDraftForm(forms.Form):
    """Co-written sections (`section_choices`: key and label) in every language, with the
    version and base of each: the one form behind an application's and a report's texts.

    Only what a post carries is saved: a field missing from the post changes nothing. The
    hidden `<section>_version` and `<section>_base` say what the writer's page was based on, so
    a change someone else made meanwhile is never overwritten (see `grants.drafts`)."""

    section_choices: Any = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in self.section_choices:
            self.fields[f"{key}_source"] = forms.ChoiceField(
                label=_("%(section)s: original language") % {"section": label},
                choices=list(LANGUAGE_NAMES.items()),
                required=False,
            )
            for lang, name in LANGUAGE_NAMES.items():
                self.fields[f"{key}_{lang}"] = forms.CharField(
                    label=_("%(section)s (%(language)s)") % {"section": label, "language": name},
                    required=False,
                    max_length=20000,
                    widget=forms.Textarea(attrs={"rows": 5}),
                )
            self.fields[f"{key}_version"] = forms.IntegerField(
                required=False, min_value=0, widget=forms.HiddenInput
            )
            self.fields[f"{key}_base"] = forms.CharField(
                required=False, max_length=64, widget=forms.HiddenInput
            )

    def _posted(self, name: str) -> bool:
        return name in self.data

    def edits(self) -> dict[str, SectionEdit]:
        """Per section, what the post carried (sections it did not mention are left out)."""
        found = {}
        for key, _label in self.section_choices:
            texts = {
                lang: self.cleaned_data[f"{key}_{lang}"]
                for lang in LANGUAGE_NAMES
                if self._posted(f"{key}_{lang}")
            }
            source = self.cleaned_data.get(f"{key}_source") or None
            if not texts and not (source and self._posted(f"{key}_source")):
                continue
            found[key] = SectionEdit(
                texts=texts,
                source=source if self._posted(f"{key}_source") else None,
                version=self.cleaned_data.get(f"{key}_version"),
                base=self.cleaned_data.get(f"{key}_base") or None,
            )
        return found

    def conflict_items(self, conflict: dict) -> list[dict]:
        """Each field of a section in conflict, labelled as on the page, with the writer's
        and the stored text."""
        key = conflict["key"]
        items = [
            {
                "field": f"{key}_{lang}",
                "label": str(self.fields[f"{key}_{lang}"].label),
                "yours": text,
                "theirs": conflict["theirs"][lang],
            }
            for lang, text in conflict["yours"].items()
        ]
        if conflict["source_edited"]:
            names = dict(LANGUAGE_NAMES)
            items.append(
                {
                    "field": f"{key}_source",
                    "label": str(self.fields[f"{key}_source"].label),
                    "yours": str(names.get(conflict["yours_source"], "")),
                    "theirs": str(names.get(conflict["source"], "")),
                }
            )
        return items


def sections_rebased(data: Any, sections: dict[str, dict], conflicts: list[dict]) -> Any:
    """A writer's post (`data`, a mutable copy), re-based on what is stored now: resubmitting
    it keeps their text over a conflict (they have seen both), and sections they did not touch
    show the newest."""
    for key, item in sections.items():
        data[f"{key}_version"], data[f"{key}_base"] = item["version"], item["base"]
        if "texts" in item:  # changed by someone else, not by this writer: show the newest
            for lang, text in item["texts"].items():
                data[f"{key}_{lang}"] = text
            data[f"{key}_source"] = item["source"]
    for conflict in conflicts:  # the languages the writer did not change: theirs
        for lang, text in conflict.get("theirs", {}).items():
            if lang in LANGUAGES and lang not in conflict["yours"]:
                data[f"{conflict['key']}_{lang}"] = text
        if "source" in conflict and not conflict["source_edited"]:
            data[f"{conflict['key']}_source"] = conflict["source"]
    return data


def sections_initial(sections) -> dict:
    """The form's initial values for stored sections (each with its version and base)."""
    initial: dict[str, Any] = {}
    for section in sections:
        initial[f"{section.key}_source"] = section.source_language
        texts = {lang: getattr(section, f"text_{lang}") or "" for lang in LANGUAGE_NAMES}
        for lang in LANGUAGE_NAMES:
            initial[f"{section.key}_{lang}"] = texts[lang]
        initial[f"{section.key}_version"] = section.version
        initial[f"{section.key}_base"] = base_of(texts, section.source_language)
    return initial


class DraftForm(SectionsDraftForm):
    """An application's title, area and sections (`SectionsDraftForm`); `title_base` and
    `area_base` say what the page showed of the two fields without a version."""

    section_choices = ApplicationSection.Key.choices

    title = forms.CharField(label=_("Title"), max_length=250, required=False)
    area: forms.ModelChoiceField[CooperationArea] = forms.ModelChoiceField(
        label=_("Cooperation area"), required=False, queryset=CooperationArea.objects.all()
    )
    title_base = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    area_base = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def field_edits(self) -> dict[str, FieldEdit]:
        return {
            name: FieldEdit(self.cleaned_data[name], self.cleaned_data.get(f"{name}_base") or None)
            for name in ("title", "area")
            if self._posted(name)
        }

    def conflict_items(self, conflict: dict) -> list[dict]:
        key = conflict["key"]
        if key in ("title", "area"):
            return [
                {
                    "field": key,
                    "label": str(self.fields[key].label),
                    "yours": conflict["yours"]["value"],
                    "theirs": conflict["theirs"]["value"],
                }
            ]
        return super().conflict_items(conflict)


def draft_initial(application) -> dict:
    return {
        "title": application.title,
        "area": application.area_id,
        "title_base": field_base(application, "title"),
        "area_base": field_base(application, "area"),
        **sections_initial(application.sections.all()),
    }


class LetterForm(forms.Form):
    letter = forms.FileField(label=_("Signed letter of intent (PDF, at most 10 MB)"))

    def clean_letter(self):
        upload = self.cleaned_data["letter"]
        validate_pdf(upload)
        return upload


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["side", "role", "name", "position"]


class BudgetLineForm(forms.Form):
    category: forms.ModelChoiceField[CostCategory] = forms.ModelChoiceField(
        label=_("Cost category"), queryset=CostCategory.objects.all()
    )
    description = forms.CharField(label=_("Description"), max_length=300)
    year = forms.IntegerField(label=_("Year of the project"), min_value=1, max_value=3, initial=1)
    amount = forms.DecimalField(
        label=_("Amount (SEK)"), min_value=1, max_digits=12, decimal_places=0
    )

    def clean_category(self):
        category = self.cleaned_data["category"]
        if not category.eligible:
            raise forms.ValidationError(
                _("%(category)s is not an eligible cost. %(explanation)s")
                % {"category": category.name, "explanation": category.explanation}
            )
        return category


class ResultForm(forms.ModelForm):
    class Meta:
        model = ResultStatement
        fields = ["level", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class IndicatorForm(forms.Form):
    result = forms.ModelChoiceField(label=_("Result"), queryset=ResultStatement.objects.none())
    name = forms.CharField(label=_("Indicator"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=50, required=False)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=14, decimal_places=2)
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice(self.fields["result"]).queryset = application.results.all()


def _score_choices():
    return [("", "—")] + [(str(v), str(v)) for v in range(SCORE_MIN, SCORE_MAX + 1)]


class ReviewForm(forms.Form):
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    conflict_of_interest = forms.BooleanField(
        label=_("I have a conflict of interest"), required=False
    )
    conflict_explanation = forms.CharField(
        label=_("Conflict of interest: explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in RUBRIC:
            self.fields[f"score_{key}"] = forms.TypedChoiceField(
                label=label, choices=_score_choices(), coerce=int, required=False, empty_value=None
            )

    def scores(self) -> dict[str, int | None]:
        return {key: self.cleaned_data.get(f"score_{key}") for key, _label in RUBRIC}


class MoveForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("screen", _("Start screening")),
            ("start_review", _("Send to review")),
            ("request_information", _("Request more information")),
            ("close", _("Close")),
        ]
    )
    reason = forms.CharField(
        label=_("Message to the applicants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reviewers = User.objects.filter(roles__role=Role.REVIEWER).distinct()
        model_choice(self.fields["reviewer"]).queryset = reviewers


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("grant", _("Grant")), ("reject", _("Reject"))]
    )
    amount = forms.DecimalField(
        label=_("Amount granted (SEK)"),
        required=False,
        min_value=1,
        max_digits=12,
        decimal_places=0,
    )
    reasons = forms.CharField(
        label=_("Reasons for the decision"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reasons_language = forms.ChoiceField(
        label=_("Language of the reasons"),
        choices=list(LANGUAGE_NAMES.items()),
        required=False,
        help_text=_("The letters to the partners quote the reasons in this language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = (get_language() or "sv")[:2]
        self.fields["reasons_language"].initial = active if active in LANGUAGE_NAMES else "sv"


class ExceptionRequestForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to grant (SEK)"), min_value=1, max_digits=12, decimal_places=0
    )
    reason = forms.CharField(
        label=_("Why the exception is needed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExceptionAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("approve", _("Approve the exception")), ("decline", _("Decline it"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (required when declining)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SignOffForm(forms.Form):
    """Sign off for one's side, or (`withdraw`) take the sign-off back."""

    withdraw = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ConfirmForm(forms.Form):
    """The second step of removing something: a post without `confirm` asks first."""

    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AcceptForm(forms.Form):
    confirm = forms.BooleanField(label=_("I accept the agreement on behalf of my municipality"))


SIDE_LABELS = dict(Side.choices)
