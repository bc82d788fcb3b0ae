"""Stored files that are replaced leave nothing behind.

`file_replace` stores a new upload in a model's file field; the file it replaces is deleted from
storage once the transaction commits (never before: a rolled-back change keeps the old file,
which the row still names). A caller whose transaction fails deletes the new file with
`file_discard`.
"""

from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile


def file_replace(field_file: FieldFile, *, name: str, content: File) -> str:
    """Save `content` into `field_file` (the model is not saved); returns the stored name."""
    previous = field_file.name
    field_file.save(name, content, save=False)
    stored, storage = field_file.name or "", field_file.storage
    if previous and previous != stored:
        transaction.on_commit(lambda: storage.delete(previous))
    return stored


def file_discard(field_file: FieldFile, name: str | None) -> None:
    """Delete a file stored by a change that did not commit."""
    if name:
        field_file.storage.delete(name)
