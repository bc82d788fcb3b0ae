"""E-mail to people, each in their own language, after the transaction commits: the one way
the platform writes to someone (issue 11.1).

    notify(people, Message(
        subject=gettext_noop("A partner has been proposed"),
        body=gettext_noop("The programme officer proposes %(a)s and %(b)s as partners."),
        params={"a": swedish, "b": partner},
        link=reverse("matchmaking:proposal", kwargs={"pk": proposal.pk}),
    ))

`subject` and `body` are message ids (gettext_noop or lazy), translated for each person under
`translation.override(person.preferred_language or "sv")`; a `params` value is rendered there
too: a callable is called with the language, anything else (a lazy string, a municipality whose
name is translated, a number) is turned into text. A site path in `link` becomes
`SITE_URL/<language>/path` (paths outside the language prefixes stay as they are); the
address is put where the body says `%(link)s`, else on a line of its own at the end.

`notify` sends one message per person (the same person twice gets one), skips people who are
inactive or have no e-mail address, and sends nothing until the transaction commits (nothing
at all when it rolls back). One failing address is logged (warning, with the user id) and the
others are still sent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext

from partnernet.lib import languages

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    subject: Any  # a message id: gettext_noop("…") or gettext_lazy("…")
    body: Any  # a message id, or a tuple of them: paragraphs, each translated on its own
    params: Mapping[str, Any] = field(default_factory=dict)
    link: str = ""  # a site path ("/grants/…", without a language) or a full address

    def render(self, language: str) -> tuple[str, str]:
        """Subject and body in `language` (pure apart from the translation catalogues)."""
        with translation.override(language):
            params = {key: _text(value, language) for key, value in self.params.items()}
            url = link_for(self.link, language)
            if url:
                params["link"] = url
            subject = _fill(gettext(str(self.subject)), params)
            parts = self.body if isinstance(self.body, tuple | list) else (self.body,)
            ids = [str(part) for part in parts if part]
            body = "\n\n".join(_fill(gettext(part), params) for part in ids)
            if url and not any("%(link)s" in part for part in ids):
                body = f"{body}\n\n{url}"
        return " ".join(subject.split()), body


def link_for(link: str, language: str) -> str:
    """The address of `link` for a reader of `language`. A site path of a translated page
    (with any language prefix or none) gets the reader's prefix; a path outside the language
    prefixes (accounts, the API) stays; a full address stays as it is."""
    if not link or "://" in link:
        return link
    path = link if link.startswith("/") else f"/{link}"
    for code in languages.LANGUAGES:  # a path reversed in some other language
        if path.startswith(f"/{code}/"):
            path = path[len(code) + 1 :]
    with translation.override(language):
        if not _resolves(path) and _resolves(f"/{language}{path}"):
            path = f"/{language}{path}"
    return settings.SITE_URL.rstrip("/") + path


def _resolves(path: str) -> bool:
    try:
        resolve(urlsplit(path).path)
    except Resolver404:
        return False
    return True


def _text(value: Any, language: str) -> str:
    if callable(value) and not isinstance(value, str):
        value = value(language)
    return str(value)


def _fill(template: str, params: Mapping[str, str]) -> str:
    return template % params if params else template


@dataclass(frozen=True)
class _Recipient:
    pk: Any
    email: str
    language: str


def recipients(people: Iterable[Any]) -> list[_Recipient]:
    """Each active person with an e-mail address once, in the order given."""
    seen: set = set()
    found = []
    for person in people:
        if person is None or not getattr(person, "is_active", False):
            continue
        email = (getattr(person, "email", "") or "").strip()
        key = person.pk or email.lower()
        if not email or key in seen:
            continue
        seen.add(key)
        language = getattr(person, "preferred_language", "") or languages.DEFAULT
        if language not in languages.LANGUAGES:
            language = languages.DEFAULT
        found.append(_Recipient(pk=person.pk, email=email, language=language))
    return found


def notify(people: Iterable[Any], message: Message) -> int:
    """Schedule `message` to each of `people` after the commit; returns how many will get it."""
    to = recipients(people)
    if to:
        transaction.on_commit(lambda: _send_all(to, message))
    return len(to)


def _send_all(to: list[_Recipient], message: Message) -> None:
    for person in to:
        try:
            subject, body = message.render(person.language)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
        except Exception:
            logger.warning("notify: the e-mail to user %s failed", person.pk, exc_info=True)
