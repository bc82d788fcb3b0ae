"""The forms of a report's narrative and of its review."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.grants.forms import SectionsDraftForm

from .models import ReportSection, ReviewPart


class ReportDraftForm(SectionsDraftForm):
    """The narrative's sections in every language, with the version and base of each."""

    section_choices = ReportSection.Key.choices


class ReviewForm(forms.Form):
    """The officer's decision, with a comment per part (at least one to return the report)."""

    APPROVE, RETURN = "approve", "return"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve the report")), (RETURN, _("Return it for changes"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for part, label in ReviewPart.choices:
            self.fields[f"comment_{part}"] = forms.CharField(
                label=_("Comment on “%(part)s”") % {"part": label},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    @property
    def comment_fields(self):
        return [self[f"comment_{part}"] for part in ReviewPart.values]

    def comments(self) -> dict[str, str]:
        return {part: self.cleaned_data.get(f"comment_{part}") or "" for part in ReviewPart.values}

    def clean(self):
        data = super().clean() or {}
        if data.get("decision") == self.RETURN and not any(self.comments().values()):
            raise forms.ValidationError(
                _("Say what must change: a report is returned with at least one comment.")
            )
        return data
