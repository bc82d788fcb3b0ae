"""Attacks on the conversation: a reply, mention or attachment from another partnership, odd
ids and bodies, another partnership's activity thread under this address."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.conversations.models import Message
from partnernet.conversations.selectors import thread_of
from partnernet.conversations.services import message_post
from partnernet.documents import samples
from partnernet.documents.services import document_upload
from partnernet.partnerships.models import Partnership

pytestmark = pytest.mark.django_db
OWN, OTHER = "falun-kolomyia", "umea-kherson"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def person(email: str) -> User:
    return User.objects.get(email=email)


def client_of(email: str) -> Client:
    return sign_in(Client(), person(email))


def post_url(slug: str = OWN) -> str:
    return reverse("conversations:post", kwargs={"slug": slug})


def body(**fields) -> dict:
    return {"body": "Hej", "language": "sv"} | fields


def their_message() -> Message:
    thread = thread_of(partnership=Partnership.objects.get(slug=OTHER))
    return message_post(
        actor=person("umea@demo.example"), thread=thread, body="Secret", language="sv"
    )


def test_a_reply_to_another_partnerships_message_is_refused():
    theirs = their_message()
    before = Message.objects.count()
    response = client_of("falun@demo.example").post(post_url(), body(reply_to=theirs.pk))
    assert response.status_code == 400
    assert "Secret" not in response.content.decode()
    assert Message.objects.count() == before


def test_an_attachment_of_another_partnership_is_refused():
    theirs = document_upload(
        actor=person("officer@icld.example"),
        partnership=Partnership.objects.get(slug=OTHER),
        title="Their minutes",
        category="minutes",
        language="sv",
        file=ContentFile(samples.pdf("m"), name="theirs.pdf"),
    )
    before = Message.objects.count()
    response = client_of("falun@demo.example").post(post_url(), body(attachments=[theirs.pk]))
    assert response.status_code == 400
    assert Message.objects.count() == before


def test_an_outsider_cannot_be_mentioned_by_id_nor_by_name():
    outsider = person("umea@demo.example")
    falun = client_of("falun@demo.example")
    assert falun.post(post_url(), body(mentions=[outsider.pk])).status_code == 400
    handle = outsider.email.split("@")[0]
    assert falun.post(post_url(), body(body=f"Hej @{handle}")).status_code == 302
    message = Message.objects.latest("pk")
    assert outsider not in message.mentions.all()


@pytest.mark.parametrize(
    "fields",
    [
        {"reply_to": "9" * 30},
        {"reply_to": "abc"},
        {"reply_to": "-1"},
        {"mentions": "9" * 30},
        {"attachments": "9" * 30},
        {"attachments": "abc"},
        {"body": ""},
        {"body": "   \n\t "},
        {"body": "x" * 10_001},
        {"body": "\x00"},
        {"language": "xx"},
    ],
)
def test_odd_input_is_refused_with_a_message_never_a_500(fields):
    before = Message.objects.count()
    response = client_of("falun@demo.example").post(post_url(), body(**fields))
    assert response.status_code == 400
    assert Message.objects.count() == before


@pytest.mark.parametrize("page", ["abc", "-1", "0", "9" * 30, "1e9"])
def test_an_odd_page_number_shows_a_page(page):
    url = reverse("conversations:thread", kwargs={"slug": OWN})
    assert client_of("falun@demo.example").get(url, {"page": page}).status_code == 200


def test_another_partnerships_thread_is_404_for_an_outsider_and_the_public():
    url = reverse("conversations:thread", kwargs={"slug": OTHER})
    their_message()
    assert client_of("falun@demo.example").get(url).status_code == 404
    assert client_of("falun@demo.example").post(post_url(OTHER), body()).status_code == 404
    assert Client().get(url).status_code in (302, 404)
    assert "Secret" not in Client().get(url, follow=True).content.decode()
