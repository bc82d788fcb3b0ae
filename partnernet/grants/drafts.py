"""Co-writing an application without lost updates: versions, bases and the merge decision.

Each section carries a `version` (bumped by every change). A writer's page holds, per section,
the version it shows and its *base*: a digest of each language's text and the original language
as the page received them. A post then tells the service three things per section: which
languages the writer changed (posted text ≠ base), whether someone else changed the section
meanwhile (posted version ≠ stored version), and what the writer wants. The decision
(`decide`) is pure:

- nothing changed by the writer → nothing to do (the page may be refreshed with the newer text);
- changed by the writer, nobody else → saved;
- changed by both, to the same text → nothing to do;
- changed by both, differently → a conflict: refused, both texts sent back to be merged.

A field missing from a post is never touched (a partial post blanks nothing). A post without a
version (or, for title and area, without a base) cannot prove what it was based on, so it never
overwrites a different text: it gets a conflict. Title and area have no version but a base
digest, and follow the same rules.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from partnernet.lib.languages import LANGUAGES

SAVE, SAME, UNCHANGED, CONFLICT = "saved", "same", "unchanged", "conflict"
UPDATED = "updated"  # unchanged by this writer, changed by someone else: the page is refreshed


def normalise(text: str | None) -> str:
    """What counts as the same text: browsers post CR LF, forms strip outer spaces."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def digest(text: str | None) -> str:
    return hashlib.blake2b(normalise(text).encode(), digest_size=6).hexdigest()


def base_of(texts: dict[str, str], source: str) -> str:
    """`<sv>.<uk>.<en>.<source>`: what a page received, for the next post to refer to."""
    return ".".join([*(digest(texts.get(lang)) for lang in LANGUAGES), source])


def parse_base(base: str | None) -> dict[str, str] | None:
    parts = (base or "").split(".")
    if len(parts) != len(LANGUAGES) + 1:
        return None
    return {**dict(zip(LANGUAGES, parts, strict=False)), "source": parts[-1]}


@dataclass(frozen=True)
class SectionEdit:
    """What one post says about one section: only the languages it carries."""

    texts: dict[str, str] = field(default_factory=dict)
    source: str | None = None
    version: int | None = None
    base: str | None = None


@dataclass(frozen=True)
class FieldEdit:
    """A posted application field (title, area) and the digest of what the page showed."""

    value: Any
    base: str | None = None


@dataclass(frozen=True)
class Decision:
    outcome: str  # SAVE, SAME, UNCHANGED or CONFLICT
    languages: tuple[str, ...] = ()  # the languages to write when saving
    source_changed: bool = False


def decide(
    *, current: dict[str, str], current_source: str, current_version: int, edit: SectionEdit
) -> Decision:
    """The merge decision for one section (see the module's docstring)."""
    base = parse_base(edit.base)
    if base is None:  # no base (an older page): every difference is the writer's change
        edited = [
            lang for lang, text in edit.texts.items() if normalise(text) != normalise(current[lang])
        ]
        source_edited = edit.source is not None and edit.source != current_source
    else:
        edited = [lang for lang, text in edit.texts.items() if digest(text) != base[lang]]
        source_edited = edit.source is not None and edit.source != base["source"]
    if not edited and not source_edited:
        return Decision(UNCHANGED)
    if edit.version == current_version:
        return Decision(SAVE, tuple(edited), source_edited)
    same_text = all(normalise(edit.texts[lang]) == normalise(current[lang]) for lang in edited)
    if same_text and (not source_edited or edit.source == current_source):
        return Decision(SAME)
    return Decision(CONFLICT, tuple(edited), source_edited)


def decide_field(*, current: str, edit: FieldEdit, posted: str) -> str:
    """The same rules for a field without a version: `current`/`posted` as comparable text.
    A post that does not say what it was based on never overwrites a different value."""
    edited = digest(posted) != edit.base if edit.base else normalise(posted) != normalise(current)
    if not edited:
        return UNCHANGED
    if normalise(posted) == normalise(current):
        return SAME
    return SAVE if edit.base and digest(current) == edit.base else CONFLICT
