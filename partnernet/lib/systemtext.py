"""Texts the system writes (queue reasons, demo history, notices): stored as a message key with
parameters, rendered in the reader's language. The one owner.

    move.reason = system_text(gettext_noop("Matched by %(funder)s"), funder="ICLD")
    {{ move.reason|system_text }}                      # in the page's language
    render(move.reason, "uk")                          # anywhere else (an e-mail, a CSV)

The stored form is a small JSON object, `{"system_text": key, "params": {...}}`, so it fits the
text columns that also hold what people write: `render` gives a person's own text back as it
is. A parameter may itself be a system text (a nested key); a person is never a parameter by
name (refer to them by their account where a name is needed, so erasure finds nothing here).
A key the catalogues do not know, or parameters that do not fit it, are shown as the English
key rather than failing a page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from django.utils import translation

KEY = "system_text"
PARAMS = "params"
_MARK = '{"' + KEY + '"'


def system_text(key: str, /, **params: Any) -> str:
    """The stored form of a system-written text: `key` is an English message id
    (gettext_noop), `params` plain values (text, numbers) or other system texts."""
    plain = {name: _plain(params[name]) for name in sorted(params)}
    body: dict[str, Any] = {KEY: str(key)}  # first: what `parse` recognises a stored one by
    if plain:
        body[PARAMS] = plain
    return json.dumps(body, ensure_ascii=False)


def _plain(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    parsed = parse(text)
    return {KEY: parsed[0], PARAMS: parsed[1]} if parsed else text


def parse(value: object) -> tuple[str, dict[str, Any]] | None:
    """(key, params) of a stored system text; None for anything else (a person's text)."""
    if isinstance(value, Mapping):
        data: Any = value
    elif isinstance(value, str) and value.startswith(_MARK):
        try:
            data = json.loads(value)
        except ValueError:
            return None
    else:
        return None
    if not isinstance(data, Mapping) or not isinstance(data.get(KEY), str):
        return None
    params = data.get(PARAMS) or {}
    return data[KEY], dict(params) if isinstance(params, Mapping) else {}


def is_system_text(value: object) -> bool:
    return parse(value) is not None


def render(value: object, language: str | None = None) -> str:
    """The text for a reader of `language` (the active language when None); a text that is
    not a system text is returned as written."""
    parsed = parse(value)
    if parsed is None:
        return "" if value is None else str(value)
    if language is None:
        return _render(*parsed)
    with translation.override(language):
        return _render(*parsed)


def _render(key: str, params: dict[str, Any]) -> str:
    values = {
        name: _render(*inner) if (inner := parse(value)) else value
        for name, value in params.items()
    }
    template = translation.gettext(key)
    if not values:
        return template
    try:
        return template % values
    except (KeyError, TypeError, ValueError):
        try:
            return key % values
        except (KeyError, TypeError, ValueError):
            return key


def recognise(text: str, keys: list[str], languages: tuple[str, ...]) -> str | None:
    """The stored form of `text` when it is one of `keys` as rendered in one of `languages`
    (parameters recovered), else None: for migrating texts stored already translated."""
    if not isinstance(text, str) or is_system_text(text):
        return None
    for key in keys:
        for language in languages:
            with translation.override(language):
                template = translation.gettext(key)
            pattern = _pattern(template)
            found = pattern.fullmatch(text.strip())
            if found:
                return system_text(key, **found.groupdict())
    return None


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"%\((\w+)\)s", template)
    out = []
    for i, part in enumerate(parts):
        out.append(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)")
    return re.compile("".join(out), re.DOTALL)
