"""PDF uploads are read by a real PDF library before they are accepted; refusals are explained
in the person's language."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pypdf import PdfWriter

from partnernet.lib.uploads import validate_pdf


def pdf(pages: int = 1, *, user_password: str | None = None, owner_only: bool = False) -> bytes:
    writer, buffer = PdfWriter(), BytesIO()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if user_password is not None:
        writer.encrypt(user_password, "owner secret")
    elif owner_only:
        writer.encrypt("", "owner secret")
    writer.write(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "letter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def refusal(data: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_pdf(upload(data), **kwargs)
    return caught.value


GOOD = pdf(3)
REFUSED = {
    "HTML that mentions %PDF- inside": (
        b"<html><body>%PDF-1.7 <script>alert(1)</script></body></html>",
        "not_pdf",
    ),
    "HTML behind a PDF header": (
        b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n",
        "pdf_damaged",
    ),
    "a PDF header and nothing else": (b"%PDF-1.7\n...", "pdf_truncated"),
    "a real PDF cut in half": (GOOD[: len(GOOD) // 2], "pdf_truncated"),
    "a real PDF without its last bytes": (GOOD[:-8], "pdf_truncated"),
    "a real PDF cut, with an end marker glued on": (
        GOOD[: len(GOOD) // 2] + b"\n%%EOF\n",
        "pdf_damaged",
    ),
    "an end marker without any PDF structure": (
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        "pdf_damaged",
    ),
    "a PDF that needs a password": (pdf(user_password="open sesame"), "pdf_encrypted"),
    "a Windows program named .pdf": (b"MZ\x90\x00" + b"\x00" * 200, "not_pdf"),
    "an empty file": (b"", "empty"),
    "a PDF with leading junk": (b"junk" + GOOD, "not_pdf"),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_what_is_not_a_readable_pdf_is_refused_with_its_reason(case):
    data, code = REFUSED[case]
    assert refusal(data).code == code


def test_too_large_is_refused_before_anything_is_parsed():
    assert refusal(GOOD, max_size=len(GOOD) - 1).code == "too_large"


@pytest.mark.parametrize(
    ("language", "code", "data", "words"),
    [
        ("sv", "not_pdf", b"<html>%PDF-</html>", "inte ett PDF-dokument"),
        ("uk", "not_pdf", b"<html>%PDF-</html>", "не є документом PDF"),
        ("sv", "pdf_truncated", GOOD[:-8], "ofullständig"),
        ("uk", "pdf_truncated", GOOD[:-8], "неповний"),
        ("sv", "pdf_damaged", REFUSED["HTML behind a PDF header"][0], "skadad"),
        ("uk", "pdf_damaged", REFUSED["HTML behind a PDF header"][0], "пошкоджений"),
        ("sv", "pdf_encrypted", pdf(user_password="x"), "lösenord"),
        ("uk", "pdf_encrypted", pdf(user_password="x"), "паролем"),
    ],
)
def test_every_reason_is_translated(language, code, data, words):
    error = refusal(data)
    assert error.code == code
    with translation.override(language):
        assert words in " ".join(error.messages)


@pytest.mark.parametrize(
    "data",
    [GOOD, pdf(1), pdf(owner_only=True), GOOD + b"\r\n", GOOD + b"\n" * 100],
    ids=["three pages", "one page", "owner password only", "CRLF after %%EOF", "padding"],
)
def test_readable_pdfs_are_accepted_whatever_their_name(data):
    validate_pdf(upload(data))
    validate_pdf(upload(data, name="scan.bin"))


def test_the_file_can_be_read_again_after_the_check():
    file = upload(GOOD)
    validate_pdf(file)
    assert file.read() == GOOD
