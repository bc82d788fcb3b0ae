"""The signed letter of intent: a PDF, recognised by its content, at most 10 MB.

Uses `partnernet.core.uploads.validate_pdf` when the project provides it; otherwise this check.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024


def check_pdf(upload) -> None:
    """Raise a translated ValidationError unless `upload` starts with `%PDF-` and is ≤ 10 MB."""
    try:
        from partnernet.core.uploads import validate_pdf
    except ImportError:
        validate_pdf = None
    if validate_pdf is not None:
        validate_pdf(upload)
        return
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("The file is not a PDF document."))
