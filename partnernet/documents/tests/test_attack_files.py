"""Attacks on uploads: odd file names (direction overrides, line breaks, paths, dots, giant),
giant or empty titles, another partnership's document under this address; never a 500, the
names sent back clean."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.documents import samples
from partnernet.documents.files import clean_name
from partnernet.documents.models import Document, DocumentVersion

OWN, OTHER = "falun-kolomyia", "umea-kherson"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def coordinator() -> Client:
    return sign_in(Client(), User.objects.get(email="falun@demo.example"))


def upload(client, *, name: str, title: str = "Minutes", slug: str = OWN):
    file = SimpleUploadedFile(name, samples.pdf("minutes"), content_type="application/pdf")
    data = {"title": title, "category": "minutes", "language": "sv", "file": file}
    return client.post(reverse("documents:upload", kwargs={"slug": slug}), data)


def test_a_direction_override_cannot_disguise_a_file_name():
    cleaned = clean_name("invoice\u202efdp.exe", "application/pdf")
    assert not set(cleaned) & set(BIDI), repr(cleaned)
    assert cleaned.endswith(".pdf")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "report\u202egpj.pdf",
        "a\r\nSet-Cookie: x=1.pdf",
        "../../etc/passwd",
        "...pdf",
        "C:\\Users\\x\\secret.pdf",
        "x" * 5000 + ".pdf",
        "протокол зустрічі 😀.pdf",
        '"quoted";name.pdf',
    ],
)
def test_odd_file_names_are_stored_clean_and_downloaded_with_a_safe_header(name):
    client = coordinator()
    response = upload(client, name=name)
    assert response.status_code == 302, response.content[:500]
    version = DocumentVersion.objects.latest("pk")
    assert not set(version.original_name) & set(BIDI + "\r\n\x00/\\")
    assert len(version.original_name) <= 120
    download = client.get(
        reverse("documents:download", kwargs={"slug": OWN, "pk": version.document_id})
    )
    assert download.status_code == 200
    header = download["Content-Disposition"]
    assert "\n" not in header and "\r" not in header


@pytest.mark.django_db
@pytest.mark.parametrize("title", ["", "   ", "t" * 201, "\x00"])
def test_an_empty_giant_or_null_title_is_refused(title):
    before = Document.objects.count()
    assert upload(coordinator(), name="a.pdf", title=title).status_code == 400
    assert Document.objects.count() == before


@pytest.mark.django_db
def test_another_partnerships_document_is_404_under_this_address():
    officer = sign_in(Client(), User.objects.get(email="officer@icld.example"))
    upload(officer, name="theirs.pdf", slug=OTHER)
    theirs = Document.objects.latest("pk")
    client = coordinator()
    kwargs = {"slug": OWN, "pk": theirs.pk}
    for name in ("detail", "download", "version_add"):
        assert client.get(reverse(f"documents:{name}", kwargs=kwargs)).status_code == 404
    publish = reverse("documents:publish", kwargs=kwargs)
    assert client.post(publish, {"published": "1"}).status_code in (403, 404)  # may not publish
    officer = sign_in(Client(), User.objects.get(email="officer@icld.example"))
    assert officer.post(publish, {"published": "1"}).status_code == 404  # not under OWN
    theirs.refresh_from_db()
    assert not theirs.is_published
    for value in ("abc", "9" * 30, "-1", "0"):
        url = reverse("documents:download", kwargs={"slug": OWN, "pk": theirs.pk})
        assert client.get(url, {"version": value}).status_code == 404
