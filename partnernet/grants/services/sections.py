"""Writing one co-written section (an application's, a report's): the stored side of
`grants.drafts`. Any `TranslatedText` model with a `text` field and a `version` column works:
the merge decision is `drafts.decide`, the write a compare-and-swap on the version, and the
translation bookkeeping `partnerships.models.text_stamps`.

The caller holds the parent's lock (the application, the report) in one transaction."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone

from partnernet.lib.languages import LANGUAGES
from partnernet.partnerships.models import text_stamps

from .. import drafts


def section_texts(section: Any) -> dict[str, str]:
    """A section's text in every language ("" where none)."""
    return {lang: getattr(section, f"text_{lang}") or "" for lang in LANGUAGES}


def section_state(section: Any) -> dict:
    """What a page needs to post its next edit of `section`: version, base and original."""
    return {
        "version": section.version,
        "base": drafts.base_of(section_texts(section), section.source_language),
        "source": section.source_language,
    }


def section_edit_apply(
    section: Any, edit: drafts.SectionEdit, sections: dict[str, dict], conflicts: list[dict]
) -> None:
    """Decide and save one posted edit of `section`; its outcome goes into `sections[key]`, a
    conflict (both texts) into `conflicts`."""
    texts = {lang: text for lang, text in edit.texts.items() if lang in LANGUAGES}
    source = edit.source if edit.source in LANGUAGES else None
    edit = drafts.SectionEdit(texts=texts, source=source, version=edit.version, base=edit.base)
    for _attempt in range(3):
        decision = drafts.decide(
            current=section_texts(section),
            current_source=section.source_language,
            current_version=section.version,
            edit=edit,
        )
        if decision.outcome != drafts.SAVE or section_write(section, edit, decision):
            break
        section.refresh_from_db()  # written by someone else between our read and our write
    sections[section.key] = {"outcome": decision.outcome}
    if decision.outcome == drafts.CONFLICT:
        conflicts.append(
            {
                "key": section.key,
                "label": str(section.get_key_display()),
                **section_state(section),
                "yours": {lang: edit.texts[lang] for lang in decision.languages},
                "source_edited": decision.source_changed,
                "yours_source": edit.source,
                "theirs": section_texts(section),
            }
        )


def sections_save(
    stored: list[Any], edits: dict[str, drafts.SectionEdit]
) -> tuple[dict[str, dict], list[dict]]:
    """Apply a post's `edits` to the `stored` sections (all of one parent, locked): per key
    its outcome and state now (with the newest text of one someone else changed), and the
    conflicts. A section the post does not carry is left as it is."""
    sections: dict[str, dict] = {}
    conflicts: list[dict] = []
    for section in stored:
        edit = edits.get(section.key)
        if edit is not None:
            section_edit_apply(section, edit, sections, conflicts)
        else:
            sections[section.key] = {"outcome": drafts.UNCHANGED}
        section.refresh_from_db()
        item = sections[section.key]
        item |= section_state(section)
        if (
            edit is not None
            and edit.version != section.version
            and item["outcome"] in (drafts.SAME, drafts.UNCHANGED)
        ):  # changed by someone else: the page gets the newest text
            item["texts"] = section_texts(section)
            if item["outcome"] == drafts.UNCHANGED:
                item["outcome"] = drafts.UPDATED
    return sections, conflicts


def section_write(section: Any, edit: drafts.SectionEdit, decision: drafts.Decision) -> bool:
    """Compare-and-swap on the version: False when someone else wrote the section first."""
    now = timezone.now()
    # (a changed original language is one of LANGUAGES: `section_edit_apply` kept no other)
    source = edit.source if decision.source_changed and edit.source else section.source_language
    changes: dict = {"source_language": source}
    for language in decision.languages:
        changes[f"text_{language}"] = edit.texts[language].strip()
    translated_at, original_changed = text_stamps(
        source_language=source,
        translated_at=section.translated_at,
        languages=decision.languages,
        now=now,
    )
    if original_changed:
        changes["source_updated_at"] = now
    # (the plain `text` column follows the original language; modeltranslation would otherwise
    # map `text` to the active language's column)
    texts = {
        **section_texts(section),
        **{k[5:]: v for k, v in changes.items() if k.startswith("text_")},
    }
    changes |= {"translated_at": translated_at, "text": texts[source]}
    rows = type(section).objects.filter(pk=section.pk, version=section.version).rewrite(False)
    # `rewrite` (modeltranslation's queryset, untyped) hides the row count's type.
    updated: int = rows.update(**changes, version=F("version") + 1)
    return updated == 1
