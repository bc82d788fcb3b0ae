"""Forms of the account pages. Every field has a label; every error is a translated sentence."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from partnernet.lib import languages

from .models import Organisation, Role, User
from .services import organisation_for_code


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split())


class PasswordResetForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SetPasswordForm(forms.Form):
    """A new password, twice, checked by Django's validators (length, common, similarity)."""

    password1 = forms.CharField(
        label=_("New password"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean(self):
        cleaned = super().clean() or self.cleaned_data
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]
        labels = {"full_name": _("Full name"), "preferred_language": _("Preferred language")}


class InvitationForm(forms.Form):
    """Programme officers invite a person: e-mail, role, and the organisation (official code or
    `funder`)."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=languages.CHOICES,
        initial=languages.DEFAULT,
        required=False,  # a form sent without it (an older script) invites in Swedish
        help_text=_("The language of the person's e-mails and pages (they can change it)."),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=32,
        help_text=_("The municipality's official code (kommunkod or KATOTTG), or “funder”."),
    )

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or languages.DEFAULT

    def clean_organisation(self) -> Organisation:
        code = self.cleaned_data["organisation"].strip()
        organisation = organisation_for_code(code)
        if organisation is None:
            raise forms.ValidationError(
                _("No organisation has the code “%(code)s”."), params={"code": code[:32]}
            )
        return organisation


class EraseForm(forms.Form):
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone"))
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    other_names = forms.CharField(
        label=_("Other spellings, e-mail addresses or telephone numbers (one per line)"),
        help_text=_(
            "The person's name in another script (Олена Коваленко / Olena Kovalenko), earlier "
            "addresses, numbers: every mention of them is removed too."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_other_names(self) -> list[str]:
        lines = self.cleaned_data["other_names"].splitlines()
        return [" ".join(line.split()) for line in lines if line.strip()]
