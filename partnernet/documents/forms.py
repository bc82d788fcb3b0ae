"""Forms of the documents pages: they parse; the services and `documents.files` judge."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.lib.languages import CHOICES as LANGUAGE_CHOICES

from .models import Category


class UploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    language = forms.ChoiceField(
        label=_("Language of the document"),
        choices=[("", _("several or none"))] + list(LANGUAGE_CHOICES),
        required=False,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, an image (PNG, JPEG, WebP, GIF) or an office document (Word, Excel, "
            "PowerPoint, OpenDocument)."
        ),
    )


class VersionForm(forms.Form):
    file = forms.FileField(label=_("File of the new version"))


class PublishForm(forms.Form):
    published = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )


class CategoryFilter(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("every category"))] + list(Category.choices),
        required=False,
    )
