"""`TranslatedText.set_text`: one language version written, the bookkeeping kept."""

from datetime import UTC, datetime

import pytest

from partnernet.partnerships.models import Partnership, text_stamps

pytestmark = pytest.mark.django_db
EARLY = datetime(2025, 1, 1, tzinfo=UTC)
LATE = datetime(2026, 6, 1, tzinfo=UTC)


def test_a_new_original_makes_every_translation_out_of_date():
    p = Partnership.objects.get(slug="falun-kolomyia")
    p.translated_at = {"en": EARLY.isoformat(), "uk": EARLY.isoformat()}
    p.source_updated_at = EARLY
    p.set_text("summary", "sv", "Ny text", now=LATE)
    assert p.summary_sv == "Ny text" and p.source_updated_at == LATE
    assert p.translation_state("en") == "outdated" and p.translation_state("uk") == "outdated"
    assert p.translation_state("sv") == "original"


def test_a_translation_records_when_it_was_brought_up_to_date():
    p = Partnership.objects.get(slug="falun-kolomyia")
    p.source_updated_at = EARLY
    p.translated_at = {"en": EARLY.isoformat()}
    p.set_text("summary", "uk", "Новий текст", now=LATE)
    assert p.source_updated_at == EARLY
    assert p.translated_at == {"en": EARLY.isoformat(), "uk": LATE.isoformat()}


def test_the_stamps_rule_is_pure_and_does_not_change_its_input():
    before = {"en": EARLY.isoformat()}
    stamps, original = text_stamps(
        source_language="sv", translated_at=before, languages=["sv", "uk"], now=LATE
    )
    assert original is True and stamps == {"en": EARLY.isoformat(), "uk": LATE.isoformat()}
    assert before == {"en": EARLY.isoformat()}
