"""A choice of several rows by id that refuses an id no row can have (beyond 64 bits) as an
unknown choice, where Django's own field lets the database driver fail (SQLite: a 500)."""

from typing import Any

from django import forms

ID_LIMIT = 2**63  # the largest key a database row can have, plus one


class ModelIdsField(forms.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        if self.to_field_name is None and isinstance(value, (list, tuple)):
            for pk in value:
                text = str(pk).strip()
                if text.isascii() and text.isdigit() and int(text) >= ID_LIMIT:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": text},
                    )
        return super().clean(value)
