"""Upload checks: by size and by content (magic bytes), never by the file's name.

from partnernet.core.uploads import validate_pdf
document = forms.FileField(validators=[validate_pdf])
"""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_SIZE = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def validate_size(file, *, max_size: int = MAX_UPLOAD_SIZE) -> None:
    if file.size is None or file.size > max_size:
        raise ValidationError(
            _("The file is too large: at most %(size)s."),
            code="too_large",
            params={"size": filesizeformat(max_size)},
        )
    if file.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")


def read_head(file, length: int = 1024) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(length)
    file.seek(position)
    return head if isinstance(head, bytes) else head.encode()


def validate_pdf(file, *, max_size: int = MAX_UPLOAD_SIZE) -> None:
    """A PDF of at most `max_size` bytes, judged by its first bytes (`%PDF-`), not its name."""
    validate_size(file, max_size=max_size)
    # The PDF header must be within the first 1024 bytes (ISO 32000-1, 7.5.2).
    if PDF_MAGIC not in read_head(file):
        raise ValidationError(_("The file is not a PDF document."), code="not_pdf")
