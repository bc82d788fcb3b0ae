"""What a notification says, in one reader's language (pure apart from the translation
catalogues and the URL resolver).

    Message(
        subject=gettext_noop("A partner has been proposed"),
        body=gettext_noop("The programme officer proposes %(a)s and %(b)s as partners."),
        params={"a": swedish, "b": partner},
        link=reverse("matchmaking:proposal", kwargs={"pk": proposal.pk}),
    )

`subject` and `body` are message ids (gettext_noop or lazy; a body may be a tuple of them,
paragraphs translated one by one), translated under `translation.override(language)`; a
`params` value is rendered there too: a callable is called with the language, anything else (a
lazy string, a municipality whose name is translated, a number) is turned into text. A site
path in `link` becomes `SITE_URL/<language>/path` (paths outside the language prefixes stay as
they are); the address is put where the body says `%(link)s`, else on a line of its own at the
end. A notification stored in-app keeps the same ids and the parameters rendered in every
language (`params_by_language`), and is rendered from them by `render`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
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
    kind: str = ""  # the topic; by default the namespace of the link's page ("grants")
    in_app: bool = True  # kept on the person's notifications page
    always_email: bool = False  # e-mailed now whatever the person prefers (links, invitations)

    def body_ids(self) -> list[str]:
        parts = self.body if isinstance(self.body, tuple | list) else (self.body,)
        return [str(part) for part in parts if part]

    def params_in(self, language: str) -> dict[str, str]:
        with translation.override(language):
            return {key: _text(value, language) for key, value in self.params.items()}

    def params_by_language(self) -> dict[str, dict[str, str]]:
        """The parameters rendered in every language, as a notification keeps them."""
        return {code: self.params_in(code) for code in languages.LANGUAGES}

    def render(self, language: str) -> tuple[str, str]:
        """Subject and body in `language`, with the full address of the link (an e-mail)."""
        return render(
            str(self.subject),
            self.body_ids(),
            self.params_in(language),
            link_for(self.link, language),
            language,
        )


def render(
    subject: str, body: Sequence[str], params: Mapping[str, str], url: str, language: str
) -> tuple[str, str]:
    """Subject and body of message ids `subject` and `body` (paragraphs) in `language`, with
    `params` already in that language and `url` the link (empty: none)."""
    with translation.override(language):
        params = dict(params)
        if url:
            params["link"] = url
        text = " ".join(_fill(gettext(subject), params).split())
        paragraphs = "\n\n".join(_fill(gettext(part), params) for part in body if part)
        if url and not any("%(link)s" in part for part in body):
            paragraphs = f"{paragraphs}\n\n{url}" if paragraphs else url
    return text, paragraphs


def path_for(link: str, language: str) -> str:
    """The site path of `link` for a reader of `language`: a path of a translated page (with
    any language prefix or none) gets the reader's prefix; a path outside the language
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
    return path


def link_for(link: str, language: str) -> str:
    """The full address of `link` for a reader of `language` (see `path_for`)."""
    path = path_for(link, language)
    if not path or "://" in path:
        return path
    return settings.SITE_URL.rstrip("/") + path


def kind_of(link: str) -> str:
    """The topic of a message without one: the namespace of its link's page."""
    path = path_for(link, languages.DEFAULT)
    if not path or "://" in path:
        return ""
    with translation.override(languages.DEFAULT):
        try:
            return resolve(urlsplit(path).path).namespace[:60]
        except Resolver404:
            return ""


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
    if not params:
        return template
    try:
        return template % params
    except (KeyError, ValueError, TypeError):  # a stored text whose id changed since
        logger.warning("notifications: a message id does not fit its parameters: %r", template)
        return template
