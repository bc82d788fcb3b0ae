"""A public partnership page says when the text in the reader's language is missing or older
than the original, and then shows the original (issue 12.9), as the application pages do. The
notice is decided on the public projection: a private text neither shows nor counts."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from partnernet.partnerships.models import Partnership

pytestmark = pytest.mark.django_db
MISSING_UK = "Цей текст ще не перекладено вашою мовою"
OUTDATED_EN = "The translation of this text is older than the original"
MISSING_EN = "has not been translated into your language yet"


def page(lang: str, slug: str = "falun-kolomyia") -> str:
    return Client().get(f"/{lang}/partnerships/{slug}/").content.decode()


def set_texts(**values) -> Partnership:
    Partnership.objects.filter(slug="falun-kolomyia").update(**values)
    return Partnership.objects.get(slug="falun-kolomyia")


def test_a_missing_translation_is_said_and_the_original_shown():
    set_texts(
        source_language="sv",
        summary_sv="Vatten och avfall.",
        summary_uk="",
        description_sv="Beskrivning på svenska.",
        description_uk="",
        private_fields=[],
    )
    html = page("uk")
    assert MISSING_UK in html
    assert '<p class="lead" lang="sv">Vatten och avfall.</p>' in html


def test_an_out_of_date_translation_is_said_and_the_original_shown():
    now = timezone.now()
    set_texts(
        source_language="sv",
        summary_sv="Ny svensk sammanfattning.",
        summary_en="Old English summary.",
        description_sv="Ny beskrivning.",
        description_en="Old description.",
        source_updated_at=now,
        translated_at={"en": (now - timedelta(days=3)).isoformat()},
        private_fields=[],
    )
    html = page("en")
    assert OUTDATED_EN in html
    assert "Ny svensk sammanfattning." in html and "Old English summary." not in html


def test_a_current_translation_and_the_original_say_nothing():
    now = timezone.now()
    set_texts(
        source_language="sv",
        summary_sv="Svensk.",
        summary_en="English.",
        description_sv="Svensk beskrivning.",
        description_en="English description.",
        source_updated_at=now - timedelta(days=3),
        translated_at={"en": now.isoformat()},
        private_fields=[],
    )
    english, swedish = page("en"), page("sv")
    assert OUTDATED_EN not in english and MISSING_EN not in english
    assert '<p class="lead" lang="en">English.</p>' in english
    assert "inte översatts" not in swedish and "äldre än originalet" not in swedish


def test_a_private_text_neither_shows_nor_makes_the_translation_missing():
    now = timezone.now()
    set_texts(
        source_language="sv",
        summary_sv="Offentlig sammanfattning.",
        summary_en="Public summary.",
        description_sv="Hemlig beskrivning med namn.",
        description_en="",  # untranslated, but private: nothing to say about it
        source_updated_at=now - timedelta(days=3),
        translated_at={"en": now.isoformat()},
        private_fields=["description"],
    )
    html = page("en")
    assert MISSING_EN not in html and OUTDATED_EN not in html
    assert "Hemlig beskrivning" not in html
    assert "Public summary." in html


def test_an_empty_text_in_the_original_needs_no_translation():
    now = timezone.now()
    set_texts(
        source_language="sv",
        summary_sv="Sammanfattning.",
        summary_uk="Підсумок.",
        description_sv="",
        description_uk="",
        source_updated_at=now - timedelta(days=3),
        translated_at={"uk": now.isoformat()},
        private_fields=[],
    )
    assert MISSING_UK not in page("uk")
