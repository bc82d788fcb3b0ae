"""No string of another language on any page of the three languages (issue 12.4).

Every route of the URL resolver (the permission matrix's walk and samples) is requested in
sv, uk and en, as an anonymous visitor, a coordinator and a verified programme officer. A
prefixed page is asked for under its language's prefix; a page without a prefix is asked for
the way a person reaches it in that language: the signed-in person's preferred language, the
anonymous visitor's language switch (its cookie). Each HTML answer must hold no distinctive
interface string of the other two languages' catalogues and no system text (`lib.systemtext`)
left unrendered or rendered in another language.

A distinctive string is a translation (or English original) longer than 12 characters that
the page's own language does not also use: interface text of the wrong language, whichever
catalogue it came from, untranslated English included.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.accounts.tests import matrix
from partnernet.accounts.tests.test_permissions import (
    DEMO_EMAILS,
    ROUTES,
    make_samples,
    route_id,
    sample_values,
)
from partnernet.lib import systemtext
from partnernet.lib.languages import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
MIN_LENGTH = 12
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{?[^}]*\}?\}")
PRINCIPALS = (matrix.ANONYMOUS, matrix.COORDINATOR_OWN, matrix.OFFICER)
# Scripts and styles are no text; a form field's content is what people wrote (an officer edits
# a call's text in all three languages on one page), not interface.
TAGS = re.compile(r"<(script|style|textarea)\b.*?</\1>|<[^>]+>", re.DOTALL | re.IGNORECASE)
# Documents written in one partner's language by design, whatever the reader's (issue 12.6).
ONE_LANGUAGE_DOCUMENTS = {"grants:decision_letter"}


def _entries() -> dict[str, dict[str, list[str]]]:
    """msgid → language → its texts (English: the msgid and its plural), from every
    catalogue. An untranslated entry has no Swedish or Ukrainian text: its English original,
    shown on a Swedish or Ukrainian page, is then found as English."""
    found: dict[str, dict[str, list[str]]] = {}
    for path in sorted(ROOT.glob("**/locale/*/LC_MESSAGES/django.po")):
        language = path.parts[-3]
        for entry in polib.pofile(str(path)):
            if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
                continue
            texts = found.setdefault(entry.msgid, {})
            texts["en"] = [entry.msgid, *([entry.msgid_plural] if entry.msgid_plural else [])]
            translated = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
            if not texts.get(language):  # the same message may be in several catalogues
                texts[language] = [t for t in translated if t]
    return found


def _fragments(text: str) -> list[str]:
    """The literal runs of a catalogue string (placeholders cut out), as a page shows them:
    of more than 12 characters and two words at least (a single word, "avfallshantering",
    "municipalities", is as likely a partnership's own text or a file name as interface)."""
    runs = (" ".join(part.split()) for part in PLACEHOLDER.split(html.unescape(text)))
    return [run for run in runs if len(run) > MIN_LENGTH and " " in run]


@cache
def foreign_strings(language: str) -> frozenset[str]:
    """Distinctive interface strings of the other two languages."""
    own: set[str] = set()
    other: set[str] = set()
    for texts in _entries().values():
        for code, values in texts.items():
            target = own if code == language else other
            for value in values:
                target.update(_fragments(value))
    return frozenset(other - own)


RAW_DATA = re.compile(r'<code translate="no">.*?</code>', re.S)


def page_text(body: str) -> str:
    """What a reader meets: text and the attributes that are read out (labels, titles). Raw
    recorded data marked `translate="no"` (a database row as it was stored, every language
    column in it) is not interface text."""
    body = RAW_DATA.sub(" ", body)
    attributes = re.findall(r'(?:aria-label|title|alt|placeholder|content)="([^"]*)"', body)
    text = TAGS.sub(" ", body)
    return " ".join(html.unescape(" ".join([text, *attributes])).split())


def _contains(text: str, fragment: str) -> bool:
    """`fragment` in `text` as whole words (not inside a longer word)."""
    start = text.find(fragment)
    while start != -1:
        end = start + len(fragment)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or after.isalnum()):
            return True
        start = text.find(fragment, start + 1)
    return False


def problems_on(body: str, language: str) -> list[str]:
    text = page_text(body)
    found = sorted(s for s in foreign_strings(language) if _contains(text, s))
    if systemtext._MARK in html.unescape(body):
        found.append("an unrendered system text")
    return found


def test_the_catalogue_check_finds_another_languages_interface_text():
    """The check itself: Ukrainian on a Swedish page, and Swedish on an English one."""
    uk_only = next(s for s in foreign_strings("sv") if re.search("[а-яіїєґ]", s))
    assert uk_only in problems_on(f"<p>{uk_only}</p>", "sv")
    # raw recorded data is exempt, and only it: the same text outside it is still found
    assert problems_on(f'<code translate="no">{uk_only}</code>', "sv") == []
    assert uk_only in problems_on(f'<code translate="no">x</code><td>{uk_only}</td>', "sv")
    assert problems_on("<p>Logga in med din e-postadress</p>", "uk") == []  # not a catalogue text
    sv_only = next(s for s in foreign_strings("en") if "å" in s or "ä" in s or "ö" in s)
    assert sv_only in problems_on(f'<a title="{sv_only}">x</a>', "en")
    assert problems_on("<p>" + systemtext.system_text("Matched by ICLD") + "</p>", "en") == [
        "an unrendered system text"
    ]


def test_a_system_text_in_another_language_is_found():
    """A queue reason rendered in Swedish on an English page is a Swedish catalogue string."""
    reason = systemtext.system_text(
        "Seed network: from ICLD's announcement of the six granted partnerships"
    )
    swedish = systemtext.render(reason, "sv")
    assert swedish != systemtext.render(reason, "en")
    assert problems_on(f"<td>{swedish}</td>", "en") == [swedish]
    assert problems_on(f"<td>{systemtext.render(reason, 'en')}</td>", "en") == []


def _prefixed(route) -> bool:
    return any(route.route.startswith(f"{code}/") for code in LANGUAGES)


def _path(route, values: dict, language: str) -> str:
    path = route.path(values)
    if _prefixed(route):
        path = f"/{language}/" + path.split("/", 2)[2]
    return path


def _client(principal: str, language: str) -> Client:
    client = Client()
    if principal == matrix.ANONYMOUS:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # the language switch
        return client
    user = User.objects.get(email=DEMO_EMAILS[principal])
    User.objects.filter(pk=user.pk).update(preferred_language=language)
    user.refresh_from_db()
    return sign_in(client, user)


# Pages; the API's operations answer JSON.
HTML_ROUTES = [r for r in ROUTES if not r.methods and r.name not in ONE_LANGUAGE_DOCUMENTS]


@pytest.mark.engine_independent
@pytest.mark.django_db
@pytest.mark.parametrize("route", HTML_ROUTES, ids=route_id)
def test_every_page_is_in_one_language(route):
    samples = make_samples()
    values = sample_values(route, samples)
    problems = []
    for principal in PRINCIPALS:
        for language in LANGUAGES:
            client = _client(principal, language)
            path = _path(route, values, language)
            response = client.get(path)
            if response.status_code == 405:
                response = client.post(path, {})
            kind = response.get("Content-Type", "")
            if response.status_code >= 500:
                problems.append(f"{principal} {path}: {response.status_code}")
            if not kind.startswith("text/html") or getattr(response, "streaming", False):
                continue
            found = problems_on(response.content.decode(), language)
            if found:
                problems.append(f"{principal} {path} ({language}): {found[:5]}")
    assert problems == []
