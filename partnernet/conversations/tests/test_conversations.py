"""A partnership's conversation: who may read and write it (negative paths first), replies,
mentions and attachments checked against the thread, read state, pages, and who is told."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.conversations.models import Message, ReadState, Thread
from partnernet.conversations.selectors import (
    participants,
    recent_messages,
    thread_of,
    unread_count,
    unread_counts,
)
from partnernet.conversations.services import message_post, thread_mark_read
from partnernet.documents import samples
from partnernet.documents.services import document_upload
from partnernet.partnerships.models import Partnership
from partnernet.workspace.models import Activity


def swedish(name: str, **kwargs) -> str:
    """The Swedish page's address, whatever language a step before left active."""
    with translation.override("sv"):
        return reverse(name, **kwargs)


OWN, OTHER = "falun-kolomyia", "umea-kherson"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def without_demo_messages(db):
    """The demo writes a few messages in every pair's thread: these tests count their own."""
    Message.objects.all().delete()


def person(email: str) -> User:
    return User.objects.get(email=email)


def client_of(email: str) -> Client:
    return sign_in(Client(), person(email))


def partnership(slug: str = OWN) -> Partnership:
    return Partnership.objects.select_related("swedish_partner", "partner").get(slug=slug)


def activity(slug: str = OWN) -> Activity:
    return Activity.objects.create(
        partnership=partnership(slug),
        kind="workshop",
        title="Workshop",
        starts_on=timezone.localdate(),
    )


def general(slug: str = OWN) -> Thread:
    return thread_of(partnership=partnership(slug))


def write(thread: Thread, email: str = "falun@demo.example", body: str = "Hej!", **extra):
    return message_post(actor=person(email), thread=thread, body=body, language="sv", **extra)


def thread_url(slug: str = OWN, activity_pk: int | None = None, post: bool = False) -> str:
    if activity_pk is None:
        name, kwargs = "conversations:thread", {"slug": slug}
    else:
        name, kwargs = "conversations:activity_thread", {"slug": slug, "activity_pk": activity_pk}
    if post:
        name = name.replace("thread", "post").replace("activity_post", "activity_post")
    return reverse(name, kwargs=kwargs)


# Who may ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_outsider_gets_404_on_every_conversation_page():
    mine = activity()
    outsider = client_of("umea@demo.example")
    for url in (thread_url(), thread_url(activity_pk=mine.pk)):
        assert outsider.get(url).status_code == 404
    for url in (
        reverse("conversations:post", kwargs={"slug": OWN}),
        reverse("conversations:activity_post", kwargs={"slug": OWN, "activity_pk": mine.pk}),
    ):
        assert outsider.post(url, {"body": "x", "language": "sv"}).status_code == 404
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_an_activity_of_another_partnership_is_missing_here():
    theirs = activity(OTHER)
    coordinator = client_of("falun@demo.example")
    assert coordinator.get(thread_url(activity_pk=theirs.pk)).status_code == 404
    post = reverse("conversations:activity_post", kwargs={"slug": OWN, "activity_pk": theirs.pk})
    assert coordinator.post(post, {"body": "x", "language": "sv"}).status_code == 404
    assert not Thread.objects.filter(activity=theirs).exists()


@pytest.mark.django_db
def test_a_reply_to_a_message_of_another_thread_is_refused():
    elsewhere = write(thread_of(partnership=partnership(), activity_id=activity().pk))
    thread = general()
    with pytest.raises(ValidationError) as refused:
        write(thread, reply_to=elsewhere)
    assert "reply_to" in refused.value.error_dict
    response = client_of("falun@demo.example").post(
        swedish("conversations:post", kwargs={"slug": OWN}),
        {"body": "svar", "language": "sv", "reply_to": elsewhere.pk},
    )
    assert response.status_code == 400
    assert "Ett svar besvarar ett meddelande i samma samtal." in response.content.decode()
    assert Message.objects.filter(thread=thread).count() == 0


@pytest.mark.django_db
def test_a_document_of_another_partnership_cannot_be_attached():
    theirs = document_upload(
        actor=person("officer@icld.example"),
        partnership=partnership(OTHER),
        title="Their minutes",
        category="minutes",
        language="en",
        file=ContentFile(samples.pdf(), name="m.pdf"),
    )
    thread = general()
    with pytest.raises(ValidationError) as refused:
        write(thread, attachments=[theirs])
    assert "attachments" in refused.value.error_dict
    response = client_of("falun@demo.example").post(
        reverse("conversations:post", kwargs={"slug": OWN}),
        {"body": "see", "language": "sv", "attachments": [theirs.pk]},
    )
    assert response.status_code == 400
    assert not Message.objects.filter(thread=thread).exists()


@pytest.mark.django_db
def test_someone_outside_the_conversation_cannot_be_mentioned():
    with pytest.raises(ValidationError) as refused:
        write(general(), mentions=[person("umea@demo.example")])
    assert "mentions" in refused.value.error_dict


@pytest.mark.django_db
def test_an_empty_message_or_an_unknown_language_is_refused():
    with pytest.raises(ValidationError) as refused:
        message_post(actor=person("falun@demo.example"), thread=general(), body="  ", language="xx")
    assert set(refused.value.error_dict) == {"body", "language"}


# Writing and reading ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_message_in_ukrainian_with_a_reply_a_mention_and_an_attachment():
    own = partnership()
    minutes = document_upload(
        actor=person("falun@demo.example"),
        partnership=own,
        title="Protokoll",
        category="minutes",
        language="sv",
        file=ContentFile(samples.pdf(), name="p.pdf"),
    )
    thread = general()
    first = write(thread)
    kolomyia = client_of("kolomyia@demo.example")
    member = person("member@demo.example")
    response = kolomyia.post(
        reverse("conversations:post", kwargs={"slug": OWN}),
        {
            "body": "Дякуємо! @Project Member (demo), подивіться протокол.",
            "language": "uk",
            "reply_to": first.pk,
            "attachments": [minutes.pk],
        },
    )
    assert response.status_code == 302
    reply = Message.objects.get(reply_to=first)
    assert reply.language == "uk" and reply.author.email == "kolomyia@demo.example"
    assert list(reply.mentions.all()) == [member]
    assert list(reply.attachments.all()) == [minutes]
    page = kolomyia.get(thread_url()).content.decode()
    assert '<div class="message-body" lang="uk">' in page
    assert reverse("documents:download", kwargs={"slug": OWN, "pk": minutes.pk}) in page


@pytest.mark.django_db
def test_the_language_select_defaults_to_the_authors_language():
    kolomyia = person("kolomyia@demo.example")
    User.objects.filter(pk=kolomyia.pk).update(preferred_language="uk")
    page = client_of("kolomyia@demo.example").get(thread_url()).content.decode()
    assert '<option value="uk" selected>' in page


@pytest.mark.django_db(transaction=False)
def test_people_are_told_after_the_commit_and_the_mentioned_that_they_were(
    django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    thread = general()
    member = person("member@demo.example")
    with django_capture_on_commit_callbacks(execute=True):
        write(thread, body="Hej @Project Member (demo)!")
    to = {message.to[0]: message for message in mail.outbox}
    assert "falun@demo.example" not in to  # the author
    assert "umea@demo.example" not in to  # another partnership's
    assert {"kolomyia@demo.example", "steering@demo.example", member.email} <= set(to)
    assert "nämnde dig" in to[member.email].body or "mentioned you" in to[member.email].body
    assert "/work/conversation/" in to["kolomyia@demo.example"].body
    assert "officer@icld.example" not in to
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        write(thread, email="officer@icld.example", body="Bra.")
    with django_capture_on_commit_callbacks(execute=True):
        write(thread, body="Tack!")
    assert "officer@icld.example" in {message.to[0] for message in mail.outbox}


@pytest.mark.django_db
def test_opening_a_thread_marks_it_read():
    thread = general()
    write(thread)
    write(thread, email="kolomyia@demo.example", body="Привіт")
    falun, kolomyia = person("falun@demo.example"), person("kolomyia@demo.example")
    assert unread_count(thread=thread, person=falun) == 1
    assert unread_counts(partnership=thread.partnership, person=falun) == {None: 1}
    assert unread_count(thread=thread, person=person("member@demo.example")) == 2
    client_of("falun@demo.example").get(thread_url())
    assert unread_count(thread=thread, person=falun) == 0
    assert unread_counts(partnership=thread.partnership, person=falun) == {}
    assert unread_count(thread=thread, person=kolomyia) == 0  # their own, read when written
    thread_mark_read(person=falun, thread=thread)
    assert ReadState.objects.filter(thread=thread, person=falun).count() == 1


@pytest.mark.django_db
def test_participants_are_the_team_of_both_sides():
    emails = {p.email for p in participants(partnership=partnership())}
    assert {"falun@demo.example", "kolomyia@demo.example", "member@demo.example"} <= emails
    assert "umea@demo.example" not in emails and "officer@icld.example" not in emails


@pytest.mark.django_db
def test_recent_messages_newest_first():
    thread = general()
    for n in range(4):
        write(thread, body=f"m{n}")
    assert [m.body for m in recent_messages(thread.partnership, 3)] == ["m3", "m2", "m1"]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [20, 2000])
def test_a_thread_page_takes_the_same_queries_for_20_and_2000_messages(
    count, django_assert_max_num_queries
):
    thread = general()
    author = person("falun@demo.example")
    Message.objects.bulk_create(
        Message(thread=thread, author=author, body=f"m{n}", language="sv") for n in range(count)
    )
    client = client_of("kolomyia@demo.example")
    with django_assert_max_num_queries(24):
        response = client.get(thread_url())
    assert response.status_code == 200
    text = response.content.decode()
    last = f"m{count - 1}"
    assert f"<p>{last}</p>" in text  # the latest page is shown
    earlier = client.get(thread_url() + "?page=1").content.decode()
    assert "<p>m0</p>" in earlier
