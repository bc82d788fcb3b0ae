"""Writes of the conversation: a message (with its reply, mentions and attachments checked
against the thread's partnership), and a person's read state. People are told through
`accounts.notify` after the commit."""

import re
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partnernet.accounts.models import User
from partnernet.accounts.notify import Message as Notice
from partnernet.accounts.notify import notify
from partnernet.audit.services import audit_record
from partnernet.documents.models import Document
from partnernet.lib.languages import LANGUAGES

from . import selectors
from .models import Message, ReadState, Thread

BODY_MAX = 10_000


def thread_link(thread: Thread) -> str:
    """The site path of a thread (without a language: the reader's is added)."""
    slug = thread.partnership.slug
    if thread.activity_id is None:
        return reverse("conversations:thread", kwargs={"slug": slug})
    return reverse(
        "conversations:activity_thread", kwargs={"slug": slug, "activity_pk": thread.activity_id}
    )


def mentions_in(body: str, people: Iterable[User]) -> list[User]:
    """The people of `people` named with `@` in `body` (by full name, or by the part of their
    e-mail address before the @), longest names first."""
    found = []
    text = body.casefold()
    for person in people:
        names = [person.full_name, (person.email or "").split("@")[0]]
        for name in names:
            if name and re.search(r"@" + re.escape(name.casefold()) + r"(?!\w)", text):
                found.append(person)
                break
    return found


def message_post(
    *,
    actor: User,
    thread: Thread,
    body: str,
    language: str,
    reply_to: Message | None = None,
    mentions: Iterable[User] = (),
    attachments: Iterable[Document] = (),
) -> Message:
    """Write a message in `thread`. A reply must answer a message of the same thread, the people
    mentioned must be ones who take part in it, the documents attached the partnership's own."""
    body = (body or "").strip()
    errors: dict[str, str] = {}
    if not body:
        errors["body"] = _("Write a message.")
    elif len(body) > BODY_MAX:
        errors["body"] = _("The message is too long: at most %(n)s characters.") % {"n": BODY_MAX}
    if language not in LANGUAGES:
        errors["language"] = _("Choose the language you wrote in.")
    if reply_to is not None and reply_to.thread_id != thread.pk:
        errors["reply_to"] = _("A reply answers a message of the same conversation.")
    attached = list(attachments)
    if any(document.partnership_id != thread.partnership_id for document in attached):
        errors["attachments"] = _("Only documents of this partnership can be attached.")
    allowed = selectors.mentionable(thread=thread)
    allowed_ids = {person.pk for person in allowed}
    chosen = list(mentions)
    if any(person.pk not in allowed_ids for person in chosen):
        errors["mentions"] = _("Only people who take part in this conversation can be mentioned.")
    if errors:
        raise ValidationError(errors)
    named = {person.pk: person for person in [*chosen, *mentions_in(body, allowed)]}
    named.pop(actor.pk, None)
    with transaction.atomic():
        message = Message.objects.create(
            thread=thread, author=actor, body=body, language=language, reply_to=reply_to
        )
        if named:
            message.mentions.set(named.values())
        if attached:
            message.attachments.set(attached)
        audit_record(
            actor=actor,
            action="post",
            obj=message,
            after={
                "thread": thread.pk,
                "reply_to": reply_to.pk if reply_to else None,
                "mentions": sorted(named),
                "attachments": sorted(d.pk for d in attached),
            },
        )
        _read_until(thread=thread, person=actor, moment=message.created_at)
        _announce(message=message, actor=actor, mentioned=list(named.values()), people=allowed)
    return message


def _announce(*, message: Message, actor: User, mentioned: list[User], people: list[User]) -> None:
    """Everyone who takes part hears of the message (the mentioned ones that they were
    mentioned), except its author; sent after the commit."""
    thread = message.thread
    link = thread_link(thread) + f"#message-{message.pk}"
    params = {"partnership": thread.partnership, "author": str(actor)}
    mentioned_ids = {person.pk for person in mentioned}
    others = [p for p in people if p.pk != actor.pk and p.pk not in mentioned_ids]
    notify(
        others,
        Notice(
            subject=gettext_noop("New message in the conversation of %(partnership)s"),
            body=gettext_noop("%(author)s wrote in the conversation of %(partnership)s."),
            params=params,
            link=link,
        ),
    )
    notify(
        mentioned,
        Notice(
            subject=gettext_noop("You were mentioned in the conversation of %(partnership)s"),
            body=gettext_noop("%(author)s mentioned you in the conversation of %(partnership)s."),
            params=params,
            link=link,
        ),
    )


def _read_until(*, thread: Thread, person: User, moment: datetime) -> None:
    ReadState.objects.update_or_create(
        thread=thread, person=person, defaults={"last_read_at": moment}
    )


def thread_mark_read(*, person: User, thread: Thread) -> None:
    """`person` has read `thread` up to its latest message (written only when that is news)."""
    latest = (
        Message.objects.filter(thread=thread)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if latest is None:
        return
    updated = ReadState.objects.filter(
        thread=thread, person=person, last_read_at__lt=latest
    ).update(last_read_at=latest)
    if not updated:
        ReadState.objects.get_or_create(
            thread=thread, person=person, defaults={"last_read_at": latest}
        )
