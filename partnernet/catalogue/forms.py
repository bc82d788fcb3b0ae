"""Forms of the catalogue's registry pages: an officer adds a local or regional government of
another country. The row is checked by the import's own rule (`municipalities.rows`)."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partnernet.municipalities.countries import COUNTRIES, OTHER_COUNTRIES
from partnernet.municipalities.models import OTHER_COUNTRY_KINDS
from partnernet.municipalities.rows import OTHER_COLUMNS, check_other_row


def _country_choices() -> list[tuple[str, str]]:
    language = get_language() or "sv"
    names = {code: COUNTRIES[code].names.get(language) or code for code in OTHER_COUNTRIES}
    return [("", "—")] + sorted(names.items(), key=lambda item: item[1])


class GovernmentForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(k.value, k.label) for k in OTHER_COUNTRY_KINDS]
    )
    code = forms.CharField(
        label=_("Official code"),
        max_length=30,
        help_text=_("The country's ISO code followed by the official code, e.g. MD1301000."),
    )
    official_name = forms.CharField(label=_("Official name in its own language"), max_length=200)
    name_latin = forms.CharField(label=_("Name in Latin letters"), max_length=200)
    name_sv = forms.CharField(
        label=_("Name in Swedish (if it differs)"), max_length=150, required=False
    )
    name_en = forms.CharField(
        label=_("Name in English (if it differs)"), max_length=150, required=False
    )
    name_uk = forms.CharField(
        label=_("Name in Ukrainian (if it differs)"), max_length=150, required=False
    )
    population = forms.CharField(label=_("Population"), max_length=12, required=False)
    population_date = forms.CharField(
        label=_("Population date (YYYY-MM-DD)"), max_length=10, required=False
    )
    # Not required here: the row rule says what is missing (its message names the map).
    centroid_lat = forms.CharField(
        label=_("Latitude of its point on the map"), max_length=20, required=False
    )
    centroid_lon = forms.CharField(
        label=_("Longitude of its point on the map"), max_length=20, required=False
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        row = self.row()
        for problem in check_other_row(row):
            self.add_error(None, problem)
        return data

    def row(self) -> dict[str, str]:
        """The form as one row of the other countries' CSV format."""
        data = self.cleaned_data
        return {column: str(data.get(column) or "").strip() for column in OTHER_COLUMNS} | {
            "code": str(data.get("code") or "").strip().upper()
        }
