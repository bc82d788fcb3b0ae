"""Upload checks: by size and by content, never by the file's name.

from partnernet.lib.uploads import validate_pdf
document = forms.FileField(validators=[validate_pdf])

A PDF is accepted only when it starts with `%PDF-`, ends with an `%%EOF` marker (a cut-off
upload does not), and a real PDF library (pypdf) reads its page tree; one that needs a password
to be opened is refused, since nobody at the funder could read it either. Each refusal has its
own translated reason, so the person knows what to fix.
"""

import logging
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from pypdf import PdfReader

MAX_UPLOAD_SIZE = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
PDF_END = b"%%EOF"
# Where the end marker must be: writers may add a line end or a little padding after it.
TAIL_LENGTH = 1024
MAX_PAGES_CHECKED = 2000

logger = logging.getLogger("partnernet.uploads")


def validate_size(file: File, *, max_size: int = MAX_UPLOAD_SIZE) -> None:
    if file.size is None or file.size > max_size:
        raise ValidationError(
            _("The file is too large: at most %(size)s."),
            code="too_large",
            params={"size": filesizeformat(max_size)},
        )
    if file.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")


def read_head(file: File, length: int = 1024) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(length)
    file.seek(position)
    return head if isinstance(head, bytes) else head.encode()


def read_tail(file: File, length: int = TAIL_LENGTH) -> bytes:
    position = file.tell()
    file.seek(max(0, file.size - length))
    tail = file.read(length)
    file.seek(position)
    return tail if isinstance(tail, bytes) else tail.encode()


def validate_pdf(file: File, *, max_size: int = MAX_UPLOAD_SIZE) -> None:
    """A readable PDF of at most `max_size` bytes, judged by its content, not its name."""
    validate_size(file, max_size=max_size)
    if not read_head(file, len(PDF_MAGIC)).startswith(PDF_MAGIC):
        raise ValidationError(_("The file is not a PDF document."), code="not_pdf")
    if PDF_END not in read_tail(file):
        raise ValidationError(
            _("The PDF file is incomplete: it may have been cut off. Upload it again."),
            code="pdf_truncated",
        )
    _read_with_pypdf(file)


def _read_with_pypdf(file: File) -> None:
    from pypdf import PdfReader

    damaged = ValidationError(
        _("The PDF file is damaged and cannot be read. Save it again as PDF and upload it."),
        code="pdf_damaged",
    )
    position = file.tell()
    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        # Encrypted with only an owner password, a PDF opens without one: that is readable.
        if reader.is_encrypted and not _opens_without_password(reader):
            raise ValidationError(
                _("The PDF is protected by a password. Upload a copy without the password."),
                code="pdf_encrypted",
            )
        pages = reader.pages
        if len(pages) == 0:
            raise damaged
        for index in range(min(len(pages), MAX_PAGES_CHECKED)):
            page = pages[index]
            page.mediabox  # noqa: B018  (resolves the page and what it inherits)
            page.get_contents()
    except ValidationError:
        raise
    except Exception as exc:  # any failure of the parser means: not a PDF we can read
        logger.info("PDF upload refused: %s: %s", type(exc).__name__, exc)
        raise damaged from None
    finally:
        file.seek(position)


def _opens_without_password(reader: "PdfReader") -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an encryption pypdf cannot undo is, for us, a password we do not have
        return False
