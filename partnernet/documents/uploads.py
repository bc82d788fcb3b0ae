"""How an upload reaches the pages (settings.FILE_UPLOAD_HANDLERS): straight into a temporary
file (never held in memory), and dropped as soon as it passes `DOCUMENT_MAX_BYTES` (the page
then says it was too large)."""

from django.conf import settings
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler

TOO_LARGE = "_documents_upload_too_large"


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Every file to a temporary file, chunk by chunk; one larger than `DOCUMENT_MAX_BYTES` is
    skipped (its bytes are not kept) and the request marked."""

    def new_file(self, *args, **kwargs) -> None:
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.DOCUMENT_MAX_BYTES:
            setattr(self.request, TOO_LARGE, True)
            self.file.close()
            raise SkipFile
        return super().receive_data_chunk(raw_data, start)


def too_large(request) -> bool:
    return bool(getattr(request, TOO_LARGE, False))
