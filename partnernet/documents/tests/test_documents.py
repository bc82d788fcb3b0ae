"""Documents of a partnership: who may see, upload and publish them (negative paths first), what
files are accepted (by content), how they are stored, listed and downloaded, and what the
public sees."""

import hashlib
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import translation

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.audit.models import AuditEntry
from partnernet.documents import samples
from partnernet.documents.files import clean_name
from partnernet.documents.models import Document, DocumentVersion
from partnernet.documents.selectors import documents_public
from partnernet.documents.services import document_publish, document_upload, document_version_add
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.services import partnership_field_hide


def swedish(name: str, **kwargs) -> str:
    """The Swedish page's address, whatever language a step before left active."""
    with translation.override("sv"):
        return reverse(name, **kwargs)


OWN, OTHER = "falun-kolomyia", "umea-kherson"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def person(email: str) -> User:
    return User.objects.get(email=email)


def client_of(email: str) -> Client:
    return sign_in(Client(), person(email))


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def upload(slug: str = OWN, *, title="Minutes", name="minutes.pdf", content=None, **extra):
    actor = person("officer@icld.example")
    return document_upload(
        actor=actor,
        partnership=Partnership.objects.get(slug=slug),
        title=title,
        category=extra.get("category", "minutes"),
        language=extra.get("language", "sv"),
        file=ContentFile(samples.pdf("minutes") if content is None else content, name=name),
    )


def urls(document: Document, slug: str = OWN) -> list[str]:
    kwargs = {"slug": slug, "pk": document.pk}
    return [
        reverse("documents:list", kwargs={"slug": slug}),
        reverse("documents:upload", kwargs={"slug": slug}),
        reverse("documents:detail", kwargs=kwargs),
        reverse("documents:version_add", kwargs=kwargs),
        reverse("documents:download", kwargs=kwargs),
        reverse("documents:download", kwargs=kwargs) + "?version=1",
    ]


# Who may -------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_outsider_gets_404_on_every_page_and_download():
    document = upload()
    outsider = client_of("umea@demo.example")
    for url in urls(document):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(reverse("documents:upload", kwargs={"slug": OWN})).status_code == 404


@pytest.mark.django_db
def test_a_document_of_another_partnership_is_missing_under_this_address():
    theirs = upload(OTHER)
    coordinator = client_of("falun@demo.example")
    for url in urls(theirs, slug=OWN)[2:]:
        assert coordinator.get(url).status_code == 404, url
    publish = reverse("documents:publish", kwargs={"slug": OWN, "pk": theirs.pk})
    officer = client_of("officer@icld.example")
    assert officer.post(publish, {"published": "1"}).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_published


@pytest.mark.django_db
def test_only_a_programme_officer_publishes():
    document = upload()
    publish = reverse("documents:publish", kwargs={"slug": OWN, "pk": document.pk})
    for email in ("falun@demo.example", "member@demo.example", "kolomyia@demo.example"):
        assert client_of(email).post(publish, {"published": "1"}).status_code == 403
    document.refresh_from_db()
    assert not document.is_published
    response = client_of("officer@icld.example").post(publish, {"published": "1"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_published and document.published_by.email == "officer@icld.example"
    entry = AuditEntry.objects.filter(object_id=str(document.pk), action="publish").get()
    assert entry.after == {"is_published": True}


@pytest.mark.django_db
def test_a_publish_request_without_a_choice_is_a_bad_request():
    document = upload()
    publish = reverse("documents:publish", kwargs={"slug": OWN, "pk": document.pk})
    assert client_of("officer@icld.example").post(publish, {}).status_code == 400


# Bad files -------------------------------------------------------------------------------------
BAD = [
    ("program.pdf", samples.EXECUTABLE, "Den här sortens fil tas inte emot"),
    ("empty.pdf", b"", "Filen är tom"),
    ("archive.docx", samples.plain_zip(), "Zip-filen är inte ett kontorsdokument"),
    ("cut.pdf", samples.pdf()[:-20], "PDF-filen är ofullständig"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_file_is_refused_with_a_translated_reason_and_nothing_is_stored(
    media, name, content, message
):
    before = Document.objects.count(), DocumentVersion.objects.count()
    page = swedish("documents:upload", kwargs={"slug": OWN})
    data = {"title": "Protokoll", "category": "minutes", "language": "sv"}
    response = client_of("falun@demo.example").post(
        page, {**data, "file": ContentFile(content, name=name)}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text or (name == "empty.pdf" and "tom" in text), text[:2000]
    assert (Document.objects.count(), DocumentVersion.objects.count()) == before
    assert stored_files(media) == []


@pytest.mark.django_db
def test_a_file_above_the_limit_is_refused_before_it_is_kept(settings, media):
    settings.DOCUMENT_MAX_BYTES = 1000
    page = swedish("documents:upload", kwargs={"slug": OWN})
    big = samples.pdf("x" * 2000)
    response = client_of("falun@demo.example").post(
        page,
        {"title": "Stor", "category": "minutes", "file": ContentFile(big, name="big.pdf")},
    )
    assert response.status_code == 400
    assert "Filen är för stor" in response.content.decode()
    assert Document.objects.filter(title="Stor").count() == 0
    assert stored_files(media) == []


@pytest.mark.django_db
def test_a_refused_new_version_keeps_the_document_as_it_was(media):
    document = upload()
    url = reverse("documents:version_add", kwargs={"slug": OWN, "pk": document.pk})
    response = client_of("falun@demo.example").post(
        url, {"file": ContentFile(samples.EXECUTABLE, name="v2.pdf")}
    )
    assert response.status_code == 400
    assert document.versions.count() == 1
    assert len(stored_files(media)) == 1


def test_file_names_are_cleaned():
    assert clean_name("../../etc/passwd", "application/pdf") == "passwd.pdf"
    assert clean_name("..\\..\\boot.ini", "") == "boot.ini"
    assert clean_name("a\x00b\x1f\x7fc.pdf", "application/pdf") == "abc.pdf"
    assert clean_name("...hidden.pdf", "application/pdf") == "hidden.pdf"
    assert clean_name("Протокол зустрічі.pdf", "application/pdf") == "Протокол зустрічі.pdf"
    assert clean_name("report", "application/pdf") == "report.pdf"
    assert clean_name("photo.PNG", "image/png") == "photo.png"
    assert clean_name("", "image/png") == "document.png"
    long = clean_name("x" * 500 + ".pdf", "application/pdf")
    assert len(long) == 120 and long.endswith(".pdf")


@pytest.mark.django_db
def test_a_dangerous_name_is_stored_clean(media):
    document = upload(name="../../Протокол\x00 зустрічі.pdf")
    version = document.versions.get()
    assert version.original_name == "Протокол зустрічі.pdf"
    stored = version.file.name.rsplit("/", 1)[-1]
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored) and ".." not in version.file.name


# Accepted files ----------------------------------------------------------------------------------
ACCEPTED = [
    ("a.pdf", samples.pdf(), "application/pdf"),
    ("a.png", samples.png(), "image/png"),
    (
        "a.docx",
        samples.docx(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("a.odt", samples.odt(), "application/vnd.oasis.opendocument.text"),
    ("looks-like.txt", samples.png(), "image/png"),  # judged by content: the name gets .png
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "kind"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_accepted_files_are_typed_by_their_content(name, content, kind):
    document = upload(name=name, content=content)
    version = document.versions.get()
    assert version.content_type == kind
    assert version.size == len(content)
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert default_storage.open(version.file.name).read() == content


@pytest.mark.django_db
def test_upload_page_versions_and_downloads():
    coordinator = client_of("falun@demo.example")
    page = reverse("documents:upload", kwargs={"slug": OWN})
    first = samples.pdf("first")
    response = coordinator.post(
        page,
        {
            "title": "Protokoll 1",
            "category": "minutes",
            "language": "sv",
            "file": ContentFile(first, name="Протокол зустрічі.pdf"),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(title="Protokoll 1")
    assert not document.is_published and document.created_by.email == "falun@demo.example"
    second = samples.pdf("second")
    url = reverse("documents:version_add", kwargs={"slug": OWN, "pk": document.pk})
    assert coordinator.post(url, {"file": ContentFile(second, name="v2.pdf")}).status_code == 302
    download = reverse("documents:download", kwargs={"slug": OWN, "pk": document.pk})
    latest = coordinator.get(download)
    assert b"".join(latest.streaming_content) == second
    assert latest["Content-Type"] == "application/pdf"
    assert latest["X-Content-Type-Options"] == "nosniff"
    assert latest["Content-Disposition"].startswith('attachment; filename="v2.pdf"')
    old = coordinator.get(download + "?version=1")
    assert b"".join(old.streaming_content) == first
    assert "filename*=UTF-8''%D0%9F" in old["Content-Disposition"]
    assert coordinator.get(download + "?version=3").status_code == 404
    assert coordinator.get(download + "?version=x").status_code == 404
    detail = coordinator.get(reverse("documents:detail", kwargs={"slug": OWN, "pk": document.pk}))
    text = detail.content.decode()
    assert "Протокол зустрічі.pdf" in text and "v2.pdf" in text


@pytest.mark.django_db
def test_the_service_keeps_every_version_with_who_and_when():
    document = upload()
    member = person("member@demo.example")
    version = document_version_add(
        actor=member, document=document, file=ContentFile(samples.pdf("2"), name="b.pdf")
    )
    assert version.number == 2 and version.uploaded_by == member
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 100])
def test_the_list_takes_the_same_queries_for_5_and_100_documents(
    count, django_assert_max_num_queries
):
    own = Partnership.objects.get(slug=OWN)
    officer = person("officer@icld.example")
    for n in range(count):
        document = Document.objects.create(
            partnership=own, title=f"Doc {n}", category="report_annex", created_by=officer
        )
        DocumentVersion.objects.create(
            document=document,
            number=1,
            file="documents/x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        )
    coordinator = client_of("falun@demo.example")
    url = reverse("documents:list", kwargs={"slug": OWN})
    with django_assert_max_num_queries(9):
        response = coordinator.get(url + "?category=report_annex")
    assert response.status_code == 200
    assert response.content.decode().count('scope="row"') == count


# The public ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_public_downloads_only_a_published_document_of_a_published_partnership():
    document = upload(name="minutes.pdf")
    public = reverse(
        "public_documents:download",
        kwargs={"slug": OWN, "pk": document.pk, "filename": "minutes.pdf"},
    )
    anonymous = Client()
    assert anonymous.get(public).status_code == 404  # not published yet
    document_publish(actor=person("officer@icld.example"), document=document, published=True)
    response = anonymous.get(public)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert anonymous.get(public.replace("minutes.pdf", "other.pdf")).status_code == 404
    page = anonymous.get(reverse("catalogue:partnership", kwargs={"slug": OWN}))
    assert public in page.content.decode()
    theirs = reverse(
        "public_documents:download",
        kwargs={"slug": OTHER, "pk": document.pk, "filename": "minutes.pdf"},
    )
    assert anonymous.get(theirs).status_code == 404
    Partnership.objects.filter(slug=OWN).update(publication="draft")
    assert anonymous.get(public).status_code == 404


@pytest.mark.django_db
def test_a_private_partner_is_taken_out_of_public_titles_and_file_names():
    officer = person("officer@icld.example")
    partnership = Partnership.objects.get(slug=OWN)
    document = upload(title="Protokoll från mötet i Kolomyia", name="Kolomyia-minutes.pdf")
    document_publish(actor=officer, document=document, published=True)
    partnership_field_hide(partnership=partnership, field="partner", reason="safety", actor=officer)
    listed = [d for d in documents_public(partnership=partnership) if d.pk == document.pk]
    assert len(listed) == 1
    assert "Kolom" not in listed[0].title and "Kolom" not in listed[0].filename
    assert listed[0].slug != OWN
    assert all("Kolom" not in d.title for d in documents_public(partnership=partnership))
