from pathlib import Path

import polib
import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("**/locale/*/LC_MESSAGES/*.po"))


def test_there_are_swedish_and_ukrainian_catalogues():
    languages = {p.parent.parent.name for p in CATALOGUES}
    assert {"sv", "uk"} <= languages


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_interface_string_is_translated_and_compiled(path):
    catalogue = polib.pofile(str(path))
    missing = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    assert not missing, f"untranslated in {path.name}: {missing[:10]}"
    compiled = polib.mofile(str(path.with_suffix(".mo")))
    assert {e.msgid for e in compiled} >= {e.msgid for e in catalogue.translated_entries()}


@pytest.mark.django_db
def test_pages_are_served_in_the_language_of_their_address():
    client = Client()
    assert "Hoppa till innehållet" in client.get("/sv/").content.decode()
    assert "Перейти до вмісту" in client.get("/uk/").content.decode()
    assert "Skip to content" in client.get("/en/").content.decode()
