from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EmailFrequency


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label=_("Send me notifications by e-mail"),
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose how often you want e-mail."),
            "invalid_choice": _("Please choose one of the options."),
        },
    )


# What the pages say after a write (kept here, with the app's other interface strings).
ALL_READ = _("All notifications are marked as read.")
PREFERENCE_SAVED = _("Your e-mail preference is saved.")
