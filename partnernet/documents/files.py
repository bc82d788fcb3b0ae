"""What a document's file is, judged by its content: never by its name or the browser's type.

`inspect(file, max_bytes=…)` reads an uploaded file in chunks (it is never read whole into
memory), computes its SHA-256 and size, and names its type from its first bytes: PDF, PNG,
JPEG, WebP, GIF, or an office document (a zip container recognised by its inner
`[Content_Types].xml` for OOXML, or its `mimetype` entry for ODF; the zip's central directory is
read by seeking, not by loading it). Anything else is refused with a translated reason, as are
an empty file and one above the size limit. `clean_name` makes a person's file name safe to
store and to send back (no folders, no control characters, no leading dots, length-limited,
letters of every script kept).
"""

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

CHUNK = 64 * 1024
NAME_MAX = 120
PDF = "application/pdf"
OOXML = {
    "wordprocessingml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "spreadsheetml": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "presentationml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
    ),
}
ODF = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}
EXTENSIONS = {
    PDF: (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/webp": (".webp",),
    "image/gif": (".gif",),
    **{kind: (ext,) for kind, ext in OOXML.values()},
    **{kind: (ext,) for kind, ext in ODF.items()},
}


@dataclass(frozen=True)
class Inspected:
    content_type: str
    size: int
    sha256: str


def _refused(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def inspect(file: IO[bytes], *, max_bytes: int) -> Inspected:
    """Size, digest and type of `file`, read chunk by chunk; `ValidationError` when refused."""
    digest, size, head = hashlib.sha256(), 0, b""
    file.seek(0)
    while chunk := file.read(CHUNK):
        if len(head) < 16:
            head += chunk[: 16 - len(head)]
        size += len(chunk)
        if size > max_bytes:
            raise _refused(
                _("The file is too large: at most %(size)s."),
                "too_large",
                size=filesizeformat(max_bytes),
            )
        digest.update(chunk)
    file.seek(0)
    if size == 0:
        raise _refused(_("The file is empty."), "empty")
    content_type = _sniff(file, head, size)
    file.seek(0)
    return Inspected(content_type=content_type, size=size, sha256=digest.hexdigest())


def _sniff(file: IO[bytes], head: bytes, size: int) -> str:
    if head.startswith(b"%PDF-"):
        file.seek(max(0, size - 1024))
        if b"%%EOF" not in file.read(1024):
            raise _refused(
                _("The PDF file is incomplete: it may have been cut off. Upload it again."),
                "pdf_truncated",
            )
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _office(file)
    raise _refused(
        _(
            "This kind of file is not accepted. Upload a PDF, an image (PNG, JPEG, WebP, GIF) "
            "or an office document (Word, Excel, PowerPoint, OpenDocument)."
        ),
        "type",
    )


def _office(file: IO[bytes]) -> str:
    """The type of an office document's zip container, or a refusal for any other zip."""
    not_office = _refused(
        _(
            "This zip file is not an office document. Upload the document itself (Word, Excel, "
            "PowerPoint, OpenDocument), not a zip archive."
        ),
        "zip",
    )
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                kind = archive.read("mimetype").decode("ascii", "replace").strip()
                if kind in ODF:
                    return kind
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size < 1024 * 1024:
                    types = archive.read(info).decode("utf-8", "replace")
                    for marker, (kind, _ext) in OOXML.items():
                        if f"officedocument.{marker}" in types:
                            return kind
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        raise not_office from None
    raise not_office


# Control characters, and the marks that turn the writing direction ("invoice\u202efdp.exe.pdf"
# reads as "invoicefdp.exe…" turned about): a name cannot be made to look like another.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE = re.compile(r'[<>:"|?*\\/]')


def clean_name(name: str, content_type: str = "") -> str:
    """A safe file name: the last part of any path, without control or reserved characters or
    leading dots, at most `NAME_MAX` characters (the extension kept), letters of every script
    kept ("Протокол зустрічі.pdf"); the extension is set to one of the type's when it is not."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _CONTROL.sub("", name)
    name = _UNSAFE.sub("_", name)
    name = " ".join(name.split()).lstrip(". ").rstrip(". ")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = f".{ext.lower()}" if ext else ""
    allowed = EXTENSIONS.get(content_type, ())
    if allowed and ext not in allowed:
        stem, ext = (f"{stem}{ext}" if stem else ext.lstrip(".")), allowed[0]
    stem = stem.strip(". ") or "document"
    stem = stem[: NAME_MAX - len(ext)].rstrip(". ") or "document"
    return f"{stem}{ext}"
