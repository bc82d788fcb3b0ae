"""Personal data, declared once per model and read by introspection wherever it matters.

Every model that holds personal data says so in one class attribute,
`PERSONAL_DATA = PersonalData(...)`; models of other packages (sessions, two-factor devices,
the admin log) are declared in `THIRD_PARTY` below. Four readers use the declarations and
nothing else:

- the row-level audit trigger (`audit.triggers`) leaves every declared column out of the
  append-only row history, so erasing a person never has to rewrite it;
- `audit_record` replaces declared identity, attribute, derived and secret fields in the
  before/after snapshots of domain events, and never uses a person's name as the object label;
- the personal-data export (`about`) leaves out secrets and collects the rows about a person:
  those that point at them, those that name them, and the texts that mention them;
- the erasure (`erase`) blanks or pseudonymises the identity fields of every row about the
  person, deletes their sign-in means, and replaces every mention of their name, e-mail address
  or telephone number in declared texts (and in the domain audit trail).

This module imports no model: it reads the app registry, so a model added tomorrow only has to
declare its fields. `audit.checks` refuses a declaration that names a field that does not exist.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.dispatch import Signal

from partnernet.lib.translit import has_cyrillic, translit

# Sent with `instance` after an erasure changed a row's personal text: the owning app recomputes
# what it derived from that text (an inversion: audit imports no app above it).
personal_data_scrubbed = Signal()

SELF = "self"
KEEP, DELETE = "keep", "delete"
# What replaces a mention of an erased person inside a text, in every language.
MASK = "[…]"
# What replaces a declared field in an audit snapshot.
REDACTED = "[redacted]"
DEFAULT_PSEUDONYM = "erased person #{pk}"
# Identifiers shorter than this are not searched for (they would match everywhere).
MIN_IDENTIFIER = 4


@dataclass(frozen=True)
class PersonalData:
    """Which fields of a model hold personal data, whose, and what erasure does with them.

    `subject`: `"self"` when each row is a person; the name of the foreign key to the person the
    row is about (`"user"`, `"actor"`, `"reviewer"`); None when the row names a person only by
    their name or contact (a team member, a profile's contact person), found by matching the
    `identity` fields against the erased person's names, e-mail addresses and telephone numbers.
    With a foreign key, the rows where it is empty are matched by their `identity` fields too.

    `identity`: names, e-mail addresses, telephone numbers of the subject (they are also what
    erasure searches for elsewhere). `attributes`: other facts about the subject (a position, an
    address, a browser). `mentions`: free text or JSON that may name anyone. `derived`: copies
    computed from personal text (search keywords, embedded text, vectors). `secrets`: never
    exported, never copied into the history. A field named in a translated model stands for all
    of its language columns (`text` → `text`, `text_sv`, `text_uk`, `text_en`).

    Erasure blanks the identity and attribute fields of the rows about the person; a field that
    may not be blank, or one listed in `pseudonyms` (field → template with `{pk}`), gets a
    pseudonym instead. `on_erase="delete"` deletes those rows (sign-in means). An app may connect
    a receiver of the `personal_data_scrubbed` signal (sender: its model) to recompute the
    derived fields of a scrubbed row and save them; without one they are blanked.
    """

    subject: str | None = None
    identity: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    derived: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()
    pseudonyms: Mapping[str, str] = field(default_factory=dict)
    on_erase: str = KEEP

    @property
    def names(self) -> tuple[str, ...]:
        return self.identity + self.attributes + self.mentions + self.derived + self.secrets


# Models of other packages, declared here because their classes are not ours to change.
THIRD_PARTY: dict[str, PersonalData] = {
    "otp_totp.totpdevice": PersonalData(subject="user", secrets=("key",), on_erase=DELETE),
    "otp_static.staticdevice": PersonalData(subject="user", on_erase=DELETE),
    "otp_static.statictoken": PersonalData(secrets=("token",)),
    "sessions.session": PersonalData(secrets=("session_key", "session_data")),
    "admin.logentry": PersonalData(subject="user", mentions=("object_repr", "change_message")),
}


def declaration(model: type[models.Model]) -> PersonalData | None:
    declared = model.__dict__.get("PERSONAL_DATA")
    if declared is None:
        for parent in model._meta.get_parent_list():
            declared = parent.__dict__.get("PERSONAL_DATA")
            if declared is not None:
                break
    return declared or THIRD_PARTY.get(model._meta.label_lower)


def declared_models() -> Iterator[tuple[type[models.Model], PersonalData]]:
    """Every concrete model with a declaration, in a stable order."""
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label_lower):
        declared = declaration(model)
        if declared is not None and not model._meta.proxy:
            yield model, declared


def columns(model: type[models.Model], names: Iterable[str]) -> list[models.Field]:
    """The concrete fields behind declared names, language columns of translated fields
    included."""
    from modeltranslation.utils import build_localized_fieldname

    found: list[models.Field | models.ForeignObjectRel] = []
    for name in names:
        found.append(model._meta.get_field(name))
        for code, _label in settings.LANGUAGES:
            try:
                found.append(model._meta.get_field(build_localized_fieldname(name, code)))
            except FieldDoesNotExist:
                continue
    return [f for f in found if isinstance(f, models.Field) and f.concrete]


def history_redacted_columns(model: type[models.Model]) -> list[str]:
    """The database columns the row-level audit never copies: every declared one."""
    declared = declaration(model)
    if declared is None:
        return []
    return sorted({f.column for f in columns(model, declared.names) if f.column})


def _snapshot_redacted(model: type[models.Model]) -> set[str]:
    declared = declaration(model)
    if declared is None:
        return set()
    names = declared.identity + declared.attributes + declared.derived + declared.secrets
    fields = columns(model, names)
    return {f.name for f in fields} | {f.attname for f in fields}


def redact(model: type[models.Model], data: dict | None) -> dict | None:
    """A domain-event snapshot with the model's declared personal fields replaced."""
    if not data:
        return data
    hidden = _snapshot_redacted(model)
    return {key: REDACTED if key in hidden and value else value for key, value in data.items()}


def snapshot(obj: models.Model, names: Iterable[str]) -> dict:
    """`{field: value}` of `obj` for an audit entry, declared personal fields redacted."""
    return redact(obj._meta.model, {name: plain(getattr(obj, name)) for name in names}) or {}


def label(obj: models.Model) -> str:
    """A label for an audit entry that never carries a person's name (rows about one person
    are labelled by their kind and number, in no particular language)."""
    declared, text = declaration(obj._meta.model), str(obj)[:300]
    if declared is None:
        return text
    values = [getattr(obj, f.attname) for f in columns(obj._meta.model, declared.identity)]
    if declared.subject is not None or any(
        isinstance(v, str) and len(v) >= MIN_IDENTIFIER and v in text for v in values
    ):
        return f"{obj._meta.model_name} #{obj.pk}"
    return text


def plain(value: Any) -> Any:
    """A JSON-safe form of a model field value."""
    import datetime
    import decimal
    import uuid

    from django.db.models.fields.files import FieldFile

    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


# Identifiers and texts ------------------------------------------------------------------------


PHONE = re.compile(r"^\+?[\d\s().-]{7,}$")


def _is_phone(value: str) -> bool:
    return bool(PHONE.match(value)) and sum(ch.isdigit() for ch in value) >= 7


def identifiers(*values: str) -> set[str]:
    """The strings erasure searches for: each value with single spaces, its Latin
    transliteration when written in Cyrillic, and a two-word name in the other order too
    ("Kovalenko Olena" in a Ukrainian list). A telephone number matches with any separators."""
    found: set[str] = set()
    for value in values:
        value = " ".join((value or "").split())
        if len(value) < MIN_IDENTIFIER:
            continue
        if _is_phone(value):
            found.add(value)
            continue
        variants = {value}
        if has_cyrillic(value):
            variants.add(translit(value))
        for variant in list(variants):
            words = variant.split(" ")
            if len(words) == 2:
                variants.add(f"{words[1]} {words[0]}")
        found |= variants
    return found


def person_identifiers(person: models.Model, *also_known_as: str) -> set[str]:
    """What identifies `person` (the identity fields of their own record, first and last name
    together) plus other spellings, addresses or numbers given by an officer."""
    declared = declaration(person._meta.model)
    values = [getattr(person, name) or "" for name in (declared.identity if declared else ())]
    first, last = getattr(person, "first_name", ""), getattr(person, "last_name", "")
    return identifiers(*values, f"{first} {last}", *also_known_as)


def pattern(found: Iterable[str]) -> re.Pattern | None:
    """One case-insensitive pattern for every identifier, any run of spaces between words."""
    alternatives = [
        r"\+?" + r"[\s().-]*".join(ch for ch in identifier if ch.isdigit())
        if _is_phone(identifier)
        else r"\s+".join(re.escape(word) for word in identifier.split())
        for identifier in sorted(set(found), key=len, reverse=True)
    ]
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def scrub(value: Any, compiled: re.Pattern) -> Any:
    """`value` (text, or JSON data) with every match replaced by the mask."""
    if isinstance(value, str):
        return compiled.sub(MASK, value)
    if isinstance(value, list):
        return [scrub(item, compiled) for item in value]
    if isinstance(value, dict):
        return {scrub(key, compiled): scrub(item, compiled) for key, item in value.items()}
    return value


def mentions(value: Any, compiled: re.Pattern) -> bool:
    return scrub(value, compiled) != value


def _search_terms(found: Iterable[str]) -> set[str]:
    """What the database is asked for (the longest word of each identifier, in the cases a
    database without Unicode case folding needs, and as JSON escapes); the pattern decides."""
    terms: set[str] = set()
    for identifier in found:
        if _is_phone(identifier):
            terms.add(max(re.findall(r"\d+", identifier), key=len))
            continue
        word = max(identifier.split(), key=len)
        for variant in {word, word.lower(), word.upper(), word.title(), word.casefold()}:
            terms.add(variant)
            terms.add(json.dumps(variant)[1:-1])
    return terms


# Reading and writing rows --------------------------------------------------------------------


def _queryset(model: type[models.Model]) -> models.QuerySet:
    """All rows, with modeltranslation's rewriting of `text` → `text_<language>` switched off."""
    queryset = model._base_manager.all()
    return queryset.rewrite(False) if hasattr(queryset, "rewrite") else queryset


def _text_fields(fields: Iterable[models.Field]) -> list[models.Field]:
    kinds = (models.CharField, models.TextField, models.JSONField)
    return [f for f in fields if isinstance(f, kinds)]


def _any_contains(fields: Iterable[models.Field], terms: Iterable[str]) -> Q:
    query = Q(pk__in=[])
    for f in fields:
        for term in terms:
            query |= Q(**{f"{f.attname}__icontains": term})
    return query


def _rows_named(model, declared: PersonalData, found: set[str], compiled) -> list[models.Model]:
    """Rows whose identity fields hold one of the identifiers (any case, any spacing). In a
    model whose rows point at their person (a team member with an account), the rows that
    point at nobody are matched by name too (a member named only): a row pointing at someone
    else is that person's."""
    if declared.subject == SELF or not declared.identity or compiled is None:
        return []
    fields = _text_fields(columns(model, declared.identity))
    candidates = _queryset(model).filter(_any_contains(fields, _search_terms(found)))
    if declared.subject is not None:
        candidates = candidates.filter(**{f"{declared.subject}__isnull": True})
    return [
        row
        for row in candidates
        if any(compiled.fullmatch(str(getattr(row, f.attname) or "").strip()) for f in fields)
    ]


def _blank(f: models.Field, pk: int, pseudonyms: Mapping[str, str]) -> Any:
    template = pseudonyms.get(f.name) or pseudonyms.get(f.attname)
    if template is None and isinstance(f, models.CharField | models.TextField) and not f.blank:
        template = DEFAULT_PSEUDONYM
    if template is not None:
        return template.format(pk=pk)[: f.max_length or None]
    if f.null:
        return None
    if isinstance(f, models.JSONField):
        return f.get_default()
    return "" if isinstance(f, models.CharField | models.TextField) else f.get_default()


def _erase_rows(model, declared: PersonalData, rows: models.QuerySet, pk: int) -> int:
    if declared.on_erase == DELETE:
        deleted, _per_model = rows.delete()
        return deleted
    fields = columns(model, declared.identity + declared.attributes)
    if not fields:
        return 0
    changes = {f.attname: _blank(f, pk, declared.pseudonyms) for f in fields}
    return rows.update(**changes)


def _scrub_mentions(model, declared: PersonalData, compiled, terms) -> int:
    fields = _text_fields(columns(model, declared.mentions))
    if not fields:
        return 0
    derived = columns(model, declared.derived)
    changed = 0
    names = ["pk", *(f.attname for f in fields)]
    for row in _queryset(model).filter(_any_contains(fields, terms)).values(*names).iterator():
        changes = {
            name: scrub(row[name], compiled)
            for name in names[1:]
            if row[name] is not None and mentions(row[name], compiled)
        }
        if not changes:
            continue
        _queryset(model).filter(pk=row["pk"]).update(**changes)
        instance = _queryset(model).get(pk=row["pk"])
        recomputed = personal_data_scrubbed.send(sender=model, instance=instance)
        if not recomputed and derived:
            _queryset(model).filter(pk=row["pk"]).update(
                **{f.attname: _blank(f, 0, {}) for f in derived if f.null or f.blank}
            )
        changed += 1
    return changed


def erase(*, person: models.Model, found: set[str]) -> Counter:
    """Erase `person` from every declared model; returns the rows changed per model.

    Order matters: rows that name the person are read first, so the telephone numbers and other
    spellings they hold are searched for too; then those rows and the rows about the person are
    blanked (or deleted); then every declared text is scrubbed of every identifier."""
    counts: Counter = Counter()
    found = set(found)
    compiled = pattern(found)
    named: list[tuple[type[models.Model], PersonalData, list[int]]] = []
    for model, declared in declared_models():
        rows = _rows_named(model, declared, found, compiled)
        if rows:
            for row in rows:
                values = [getattr(row, f.attname) for f in columns(model, declared.identity)]
                found |= identifiers(*(str(v) for v in values if v))
            named.append((model, declared, [row.pk for row in rows]))
    for model, declared, pks in named:
        counts[model._meta.label_lower] += _erase_rows(
            model, declared, _queryset(model).filter(pk__in=pks), person.pk
        )
    for model, declared in declared_models():
        if declared.subject == SELF and isinstance(person, model):
            about = _queryset(model).filter(pk=person.pk)
        elif declared.subject not in (None, SELF):
            about = _queryset(model).filter(**{declared.subject: person})
        else:
            continue
        counts[model._meta.label_lower] += _erase_rows(model, declared, about, person.pk)
    compiled, terms = pattern(found), _search_terms(found)
    if compiled is not None:
        for model, declared in declared_models():
            counts[model._meta.label_lower] += _scrub_mentions(model, declared, compiled, terms)
    return +counts


# The export -----------------------------------------------------------------------------------


def _row(obj: models.Model, declared: PersonalData | None, about_them: bool) -> dict:
    model = obj._meta.model
    hidden: set[str] = set()
    if declared is not None:
        hidden |= {f.attname for f in columns(model, declared.secrets + declared.derived)}
        if not about_them:
            hidden |= {f.attname for f in columns(model, declared.identity + declared.attributes)}
    return {
        f.attname: plain(getattr(obj, f.attname))
        for f in model._meta.concrete_fields
        if f.attname not in hidden
    }


LIMIT = 10_000


def own_record(person: models.Model) -> dict:
    return _row(person, declaration(person._meta.model), about_them=True)


def about(*, person: models.Model, found: set[str]) -> dict:
    """Everything held about `person`, as plain JSON-safe data, secrets left out.

    `related`: every row of any model (ours or not) with a foreign key to them, walked through
    the foreign keys so apps added later are included; `named`: rows that name them by name,
    e-mail or telephone (team members, contact persons); `mentioned`: every declared text that
    mentions them, with the text as it is stored."""
    user_model = person._meta.model
    related: dict[str, list[dict]] = {}
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label_lower):
        if model._meta.proxy or not model._meta.managed:
            continue  # views and proxies (pghistory's event views) hold no rows of their own
        declared = declaration(model)
        for f in model._meta.concrete_fields:
            if not (f.is_relation and f.related_model is user_model) or model is user_model:
                continue
            rows = _queryset(model).filter(**{f.name: person})[:LIMIT]
            about_them = declared is not None and declared.subject in (f.name, f.attname)
            exported = [_row(obj, declared, about_them) for obj in rows]
            if exported:
                related[f"{model._meta.label_lower}.{f.name}"] = exported
    compiled = pattern(found)
    named: dict[str, list[dict]] = {}
    mentioned: list[dict] = []
    for model, declared in declared_models():
        named_rows = _rows_named(model, declared, found, compiled)
        if named_rows:
            named[model._meta.label_lower] = [_row(r, declared, True) for r in named_rows[:LIMIT]]
        fields = _text_fields(columns(model, declared.mentions))
        if compiled is None or not fields:
            continue
        names = ["pk", *(f.attname for f in fields)]
        query = _queryset(model).filter(_any_contains(fields, _search_terms(found)))
        for row in query.values(*names)[:LIMIT]:
            for name in names[1:]:
                if row[name] is not None and mentions(row[name], compiled):
                    mentioned.append(
                        {
                            "model": model._meta.label_lower,
                            "id": plain(row["pk"]),
                            "field": name,
                            "text": row[name],
                        }
                    )
    return {"related": related, "named": named, "mentioned": mentioned}
