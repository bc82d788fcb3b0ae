"""Writes of documents: upload, a new version, publish or unpublish (each one transaction with
its audit entry). The file is checked by its content (`documents.files`) before anything is
stored; a stored file whose transaction fails is deleted again (nothing left behind)."""

import uuid
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.accounts.models import User
from partnernet.audit.services import audit_record
from partnernet.lib.files import file_discard
from partnernet.lib.languages import LANGUAGES
from partnernet.partnerships.models import Network, Partnership

from . import files
from .models import Category, Document, DocumentVersion


def _checked(file: IO[bytes]) -> tuple[files.Inspected, str]:
    inspected = files.inspect(file, max_bytes=settings.DOCUMENT_MAX_BYTES)
    name = files.clean_name(getattr(file, "name", "") or "", inspected.content_type)
    return inspected, name


def _store(version: DocumentVersion, file: IO[bytes], name: str) -> str:
    """Store the file under a name of our own (the person's name is kept in the row)."""
    extension = name.rpartition(".")[2] if "." in name else "bin"
    content = file if isinstance(file, File) else File(file)
    version.file.save(f"{uuid.uuid4().hex}.{extension}", content, save=False)
    return version.file.name or ""


def _version_create(
    *, document: Document, actor: User, file: IO[bytes], inspected: files.Inspected, name: str
) -> DocumentVersion:
    latest = document.versions.aggregate(n=Max("number"))["n"] or 0
    version = DocumentVersion(
        document=document,
        number=latest + 1,
        original_name=name,
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        uploaded_by=actor,
    )
    stored = _store(version, file, name)
    try:
        version.save()
    except Exception:
        file_discard(version.file, stored)
        raise
    return version


def _check_fields(title: str, category: str, language: str) -> None:
    if not (title or "").strip():
        raise ValidationError({"title": ValidationError(_("Give the document a title."))})
    if category not in Category.values:
        raise ValidationError({"category": ValidationError(_("Choose a category."))})
    if language and language not in LANGUAGES:
        raise ValidationError({"language": ValidationError(_("Choose a language."))})


def document_upload(
    *,
    actor: User,
    partnership: Partnership | None = None,
    network: Network | None = None,
    title: str,
    category: str,
    language: str,
    file: IO[bytes],
) -> Document:
    """A new private document of a partnership (or a network) with its first version."""
    if (partnership is None) == (network is None):
        raise ValueError("a document belongs to one partnership or one network")
    _check_fields(title, category, language)
    inspected, name = _checked(file)
    stored: list[DocumentVersion] = []
    try:
        with transaction.atomic():
            document = Document.objects.create(
                partnership=partnership,
                network=network,
                title=title.strip()[:200],
                category=category,
                language=language,
                created_by=actor,
            )
            stored.append(
                _version_create(
                    document=document, actor=actor, file=file, inspected=inspected, name=name
                )
            )
            audit_record(
                actor=actor,
                action="upload",
                obj=document,
                after={"title": document.title, "category": category, "version": 1},
            )
    except Exception:
        for version in stored:
            file_discard(version.file, version.file.name)
        raise
    return document


def document_version_add(*, actor: User, document: Document, file: IO[bytes]) -> DocumentVersion:
    """A new version of `document` (the earlier ones are kept)."""
    inspected, name = _checked(file)
    stored: list[DocumentVersion] = []
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            version = _version_create(
                document=locked, actor=actor, file=file, inspected=inspected, name=name
            )
            stored.append(version)
            locked.save(update_fields=["updated_at"])
            audit_record(
                actor=actor, action="version_add", obj=locked, after={"version": version.number}
            )
    except Exception:
        for version in stored:
            file_discard(version.file, version.file.name)
        raise
    return version


@transaction.atomic
def document_publish(*, actor: User, document: Document, published: bool) -> Document:
    """Show `document` on the public partnership page, or take it off (a programme officer's
    decision: the caller has checked `Perm.DOCUMENT_PUBLISH`)."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.is_published == published:
        return locked
    before = {"is_published": locked.is_published}
    locked.is_published = published
    locked.published_at = timezone.now() if published else None
    locked.published_by = actor if published else None
    locked.save(update_fields=["is_published", "published_at", "published_by", "updated_at"])
    audit_record(
        actor=actor,
        action="publish" if published else "unpublish",
        obj=locked,
        before=before,
        after={"is_published": published},
    )
    return locked
