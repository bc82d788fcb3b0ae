"""Attacks on what the public sees of documents: a private partner's name hidden in a file
name (underscore, digits), the partnership's real address after the partner was hidden, a
document of another partnership under this address."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from partnernet.accounts.models import User
from partnernet.documents import samples
from partnernet.documents.selectors import documents_public
from partnernet.documents.services import document_publish, document_upload
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.services import partnership_field_hide

OWN, OTHER = "falun-kolomyia", "umea-kherson"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def officer() -> User:
    return User.objects.get(email="officer@icld.example")


def published(slug: str, *, title: str, name: str):
    document = document_upload(
        actor=officer(),
        partnership=Partnership.objects.get(slug=slug),
        title=title,
        category="minutes",
        language="sv",
        file=ContentFile(samples.pdf("minutes"), name=name),
    )
    document_publish(actor=officer(), document=document, published=True)
    return document


def hide_partner(slug: str = OWN) -> Partnership:
    partnership = Partnership.objects.get(slug=slug)
    partnership_field_hide(
        partnership=partnership, field="partner", reason="safety", actor=officer()
    )
    return partnership


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["protokoll_kolomyia.pdf", "2024Kolomyia.pdf", "minutes_Коломия_2024.pdf", "kolomyia.pdf"],
)
def test_a_private_partner_is_taken_out_of_a_file_name_joined_by_underscore_or_digits(name):
    document = published(OWN, title="Protokoll_Kolomyia 2024", name=name)
    partnership = hide_partner()
    (shown,) = [d for d in documents_public(partnership=partnership) if d.pk == document.pk]
    assert "kolom" not in shown.filename.lower() and "колом" not in shown.filename.lower()
    assert "kolom" not in shown.title.lower()
    page = Client().get(reverse("catalogue:partnership", kwargs={"slug": shown.slug}))
    assert page.status_code == 200
    assert "kolom" not in page.content.decode().lower()


@pytest.mark.django_db
def test_the_real_address_and_real_file_name_answer_404_once_the_partner_is_hidden():
    document = published(OWN, title="Minutes", name="Kolomyia-minutes.pdf")
    real = reverse(
        "public_documents:download",
        kwargs={"slug": OWN, "pk": document.pk, "filename": "Kolomyia-minutes.pdf"},
    )
    assert Client().get(real).status_code == 200
    partnership = hide_partner()
    assert Client().get(real).status_code == 404
    (shown,) = [d for d in documents_public(partnership=partnership) if d.pk == document.pk]
    public = reverse(
        "public_documents:download",
        kwargs={"slug": shown.slug, "pk": document.pk, "filename": "Kolomyia-minutes.pdf"},
    )
    assert Client().get(public).status_code == 404  # the real name under the public address
    scrubbed = reverse(
        "public_documents:download",
        kwargs={"slug": shown.slug, "pk": document.pk, "filename": shown.filename},
    )
    response = Client().get(scrubbed)
    assert response.status_code == 200
    assert "kolom" not in response["Content-Disposition"].lower()


@pytest.mark.django_db
def test_a_document_of_another_partnership_is_404_under_this_address():
    theirs = published(OTHER, title="Theirs", name="theirs.pdf")
    url = reverse(
        "public_documents:download",
        kwargs={"slug": OWN, "pk": theirs.pk, "filename": "theirs.pdf"},
    )
    assert Client().get(url).status_code == 404
    for bad in ("99999999999999999999999", "0"):
        assert Client().get(f"/sv/partnerships/{OWN}/documents/{bad}/theirs.pdf").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["a#b.pdf", "100%.pdf", "x y+z.pdf", "протокол;1.pdf"])
def test_the_public_link_of_an_odd_file_name_downloads_it(name):
    document = published(OWN, title="Minutes", name=name)
    partnership = Partnership.objects.get(slug=OWN)
    (shown,) = [d for d in documents_public(partnership=partnership) if d.pk == document.pk]
    url = reverse(
        "public_documents:download",
        kwargs={"slug": shown.slug, "pk": document.pk, "filename": shown.filename},
    )
    page = Client().get(reverse("catalogue:partnership", kwargs={"slug": OWN})).content.decode()
    assert url in page
    assert Client().get(url).status_code == 200
