"""The scrubber takes a private partner out under every name it goes by: its names in each
language, its exonyms and older spellings (from the registry's alternative spellings), with
any ending; ordinary words and very short spellings stay. Pure: unsaved rows, no database."""

import pytest

from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.projection import public_text

FALUN = Municipality(name="Falun", name_sv="Falun", name_en="Falun", name_uk="Фалун")
KOLOMYIA = Municipality(
    name="Kolomyia",
    name_sv="Kolomyja",
    name_en="Kolomyia",
    name_uk="Коломия",
    name_latin="Kolomyia",
    alt_names="Kolomea\nKol",
)


def partnership(private: bool) -> Partnership:
    return Partnership(
        swedish_partner=FALUN,
        partner=KOLOMYIA,
        private_fields=["partner"] if private else [],
        title="Falun – Kolomyia",
    )


@pytest.mark.parametrize(
    ("text", "language", "gone"),
    [
        ("Besöket i Kolomyja gick bra.", "sv", "Kolomyja"),
        ("Visit to Kolomea, the old town.", "en", "Kolomea"),
        ("Візит до Коломиї.", "uk", "Коломиї"),
        ("Kolomyias vattenverk", "sv", "Kolomyias"),
    ],
)
def test_every_spelling_of_a_private_partner_is_taken_out(text, language, gone):
    assert gone not in public_text(partnership(private=True), text, language)


def test_a_public_partner_and_ordinary_words_stay():
    text = "Kolomyja and the Kolkhoz museum"
    assert public_text(partnership(private=False), text, "en") == text
    # "Kol" is too short to be a name that is taken out: the museum keeps its name
    assert "Kolkhoz" in public_text(partnership(private=True), text, "en")
