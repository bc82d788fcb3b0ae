"""Reads of documents: one fetch per object for a person (`document_for_user`), the list of a
partnership, the file of a version as a streamed answer, and what the public may download."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from django.db.models import Count, Max, Prefetch, QuerySet
from django.http import FileResponse, Http404

from partnernet.accounts.models import User
from partnernet.accounts.permissions import AccessRefused, Perm, authorize, partnership_target
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.projection import PublicPartnership, public_slug, public_text
from partnernet.partnerships.selectors import partnership_public_get, partnership_workspace_for_user

from .models import Category, Document, DocumentVersion


def document_for_user(
    *, user: User, slug: str, pk: int, perm: Perm = Perm.WORKSPACE_VIEW
) -> Document:
    """One document of the partnership at `slug` (with its versions, newest first), for a
    person who may see the workspace; a document of another partnership is missing here."""
    partnership = partnership_workspace_for_user(user=user, slug=slug, perm=Perm.WORKSPACE_VIEW)
    document = (
        Document.objects.filter(partnership=partnership, pk=pk)
        .select_related("created_by", "published_by")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number"),
            )
        )
        .first()
    )
    if document is None:
        raise AccessRefused(hidden=True, perm=Perm.WORKSPACE_VIEW)
    document.partnership = partnership
    authorize(user, partnership_target(partnership), see=Perm.WORKSPACE_VIEW, perm=perm)
    return document


def documents_of(*, partnership: Partnership, category: str = "") -> QuerySet[Document]:
    """A partnership's documents, newest change first, each with its number of versions and its
    latest version's number (two annotations: one query, whatever the number of documents)."""
    rows = Document.objects.filter(partnership=partnership)
    if category:
        rows = rows.filter(category=category)
    return rows.select_related("created_by").annotate(
        version_count=Count("versions"), latest_number=Max("versions__number")
    )


def version_of(document: Document, number: int | None) -> DocumentVersion | None:
    """Version `number` of a document whose versions are loaded (the latest when None)."""
    versions = list(document.versions.all())
    if number is None:
        return versions[0] if versions else None
    return next((v for v in versions if v.number == number), None)


def document_file_response(
    *, version: DocumentVersion, name: str | None = None, inline: bool = False
) -> FileResponse:
    """The stored file of `version`, streamed in chunks, as a download under its cleaned name
    (or `name`), with the type found from its content and `nosniff`."""
    filename = name or version.original_name
    try:
        handle = version.file.storage.open(version.file.name or "", "rb")
    except FileNotFoundError:  # the row outlived its file (a restore without the files)
        raise Http404 from None
    response = FileResponse(handle, content_type=version.content_type)
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Content-Length"] = str(version.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# What the public sees -------------------------------------------------------------------------
@dataclass(frozen=True)
class PublicDocument:
    pk: int
    title: str  # a private partner's name taken out
    category: str
    language: str
    filename: str  # the latest version's name, a private partner's name taken out
    size: int
    content_type: str
    published_at: datetime | None
    slug: str  # the partnership's public address

    def get_category_display(self) -> str:
        return str(Category(self.category).label)


def _public(document: Document, row: Partnership, version: DocumentVersion) -> PublicDocument:
    language = document.language or row.source_language or "sv"
    return PublicDocument(
        pk=document.pk,
        title=public_text(row, document.title, language),
        category=document.category,
        language=document.language,
        filename=public_text(row, version.original_name, language),
        size=version.size,
        content_type=version.content_type,
        published_at=document.published_at,
        slug=public_slug(row),
    )


def _published_versions(partnership_pk: int) -> QuerySet[Document]:
    return (
        Document.objects.filter(partnership_id=partnership_pk, is_published=True)
        .prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number"))
        )
        .order_by("-published_at", "-id")
    )


def documents_public(*, partnership: "Partnership | PublicPartnership") -> list[PublicDocument]:
    """The published documents of a published partnership (its public projection or row), as
    the public page lists them. Three queries."""
    row = Partnership.objects.select_related("swedish_partner", "partner__country").get(
        pk=partnership.pk
    )
    listed = []
    for document in _published_versions(row.pk):
        versions = list(document.versions.all())
        if versions:
            listed.append(_public(document, row, versions[0]))
    return listed


def document_public_get(
    *, slug: str, pk: int, filename: str
) -> tuple[PublicDocument, DocumentVersion]:
    """The latest version of the published document `pk` of the published partnership at the
    public address `slug`, under its public file name; `Document.DoesNotExist` otherwise."""
    try:
        public = partnership_public_get(slug=slug)
    except Partnership.DoesNotExist:
        raise Document.DoesNotExist(pk) from None
    row = Partnership.objects.select_related("swedish_partner", "partner__country").get(
        pk=public.pk
    )
    document = _published_versions(row.pk).filter(pk=pk).first()
    versions = list(document.versions.all()) if document is not None else []
    if document is None or not versions:
        raise Document.DoesNotExist(pk)
    shown = _public(document, row, versions[0])
    if shown.filename != filename:
        raise Document.DoesNotExist(pk)
    return shown, versions[0]
