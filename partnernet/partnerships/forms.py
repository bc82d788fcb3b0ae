"""The officer's publication screen: one form per action (a lifecycle step, a field's privacy)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PRIVATISABLE_FIELDS, PRIVATISABLE_LABELS
from .services import ACTIONS, MAX_REASON

FIELD_OPERATIONS = ("hide", "show")


class PublicationForm(forms.Form):
    """`operation` is a lifecycle step (`publish`, `withdraw`, `return_to_draft`) or a field's
    privacy (`hide`, `show`, with `field`). The reason is checked by the services."""

    operation = forms.ChoiceField(choices=[(name, name) for name in (*ACTIONS, *FIELD_OPERATIONS)])
    field = forms.ChoiceField(
        required=False,
        choices=[("", "")] + [(name, PRIVATISABLE_LABELS[name]) for name in PRIVATISABLE_FIELDS],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean() or self.cleaned_data
        if data.get("operation") in FIELD_OPERATIONS and not data.get("field"):
            raise forms.ValidationError(_("Choose a field."))
        return data
