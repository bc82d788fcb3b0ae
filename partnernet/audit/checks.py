"""System check: every personal-data declaration names fields that exist, and a subject that
is a foreign key to the person (or `self` on the person model itself)."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist

from .personal import DELETE, KEEP, SELF, declared_models


@checks.register(checks.Tags.models)
def personal_data_declarations(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    for model, declared in declared_models():
        label = model._meta.label
        for name in (*declared.names, *declared.pseudonyms):
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                problems.append(
                    checks.Error(
                        f"{label}.PERSONAL_DATA names {name!r}, which is no field of it.",
                        id="partnernet.E101",
                    )
                )
        if declared.on_erase not in (KEEP, DELETE):
            problems.append(
                checks.Error(
                    f"{label}.PERSONAL_DATA.on_erase must be 'keep' or 'delete'.",
                    id="partnernet.E102",
                )
            )
        if declared.subject in (None, SELF):
            if declared.subject == SELF and model._meta.label != settings.AUTH_USER_MODEL:
                problems.append(
                    checks.Error(
                        f"{label}: only the person model is its own subject.", id="partnernet.E103"
                    )
                )
            continue
        try:
            subject = model._meta.get_field(declared.subject)
        except FieldDoesNotExist:
            subject = None
        if (
            subject is None
            or subject.related_model is None
            or (subject.related_model._meta.label != settings.AUTH_USER_MODEL)
        ):
            problems.append(
                checks.Error(
                    f"{label}.PERSONAL_DATA.subject {declared.subject!r} must be a foreign key "
                    "to the person model.",
                    id="partnernet.E104",
                )
            )
    return problems
