"""Decision letters: when a decision is taken, one letter per partner in that partner's
language, rendered once and kept as written (issue 12.6). The officer's reasons are quoted in
the language they were written in, marked with their `lang` and a note when it is not the
letter's language."""

from django.template.loader import render_to_string
from django.utils import translation

from partnernet.lib.languages import NAMES

from ..models import Application, DecisionLetter, Side
from ..selectors import partner_language


def decision_letters_write(*, application: Application) -> list[DecisionLetter]:
    """The decision's letter to each partner (inside the decision's transaction)."""
    letters = []
    for side, municipality in (
        (Side.SWEDISH, application.swedish_partner),
        (Side.PARTNER, application.partner),
    ):
        language = partner_language(municipality)
        with translation.override(language):
            body = render_to_string(
                "grants/documents/_decision_letter_body.html",
                {
                    "application": application,
                    "addressee": municipality,
                    "letter_language": language,
                    "reasons_language": application.decision_reasons_language or language,
                    "reasons_language_name": NAMES.get(
                        application.decision_reasons_language or language, ""
                    ),
                },
            )
        letter, _created = DecisionLetter.objects.update_or_create(
            application=application, side=side, defaults={"language": language, "body": body}
        )
        letters.append(letter)
    return letters
