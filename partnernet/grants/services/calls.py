"""Writes of calls for applications: create and edit a call's facts and its texts in three
languages (with the translation bookkeeping of `TranslatedText.set_text`), open it to the public
and close it (guarded transitions, each audited)."""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from partnernet.accounts.models import User
from partnernet.audit.services import audit_record
from partnernet.lib.languages import LANGUAGES
from partnernet.lib.money import format_money
from partnernet.partnerships.models import Network

from ..models import CALL_TEXT_NAMES, CALL_TEXTS, Call, CallState
from ..selectors import call_committed

# The facts of a call besides its texts, as the officer's form gives them.
CALL_FACTS = (
    "network",
    "component",
    "region",
    "opens_at",
    "closes_at",
    "budget",
    "min_reviews",
)


def _text_keys() -> list[str]:
    return [f"{field}_{lang}" for field in CALL_TEXTS for lang in LANGUAGES]


def _snapshot(call: Call) -> dict[str, object]:
    values: dict[str, object] = {
        "network": call.network_id,
        "component": call.component,
        "region": call.region,
        "opens_at": call.opens_at.isoformat() if call.opens_at else None,
        "closes_at": call.closes_at.isoformat() if call.closes_at else None,
        "budget": str(call.budget) if call.budget is not None else None,
        "source_language": call.source_language,
    }
    for key in _text_keys():
        values[key] = getattr(call, key, "") or ""
    return values


def _write_texts(call: Call, texts: Mapping[str, str], *, now: datetime) -> None:
    """Each language version given that differs from the stored one, through `set_text` (so a
    changed original puts the translations out of date). The plain fields are never assigned:
    modeltranslation would write the active language's column."""
    for field in CALL_TEXTS:
        for lang in LANGUAGES:
            key = f"{field}_{lang}"
            if key not in texts:
                continue
            value = (texts[key] or "").strip()
            if value != (getattr(call, key, "") or ""):
                call.set_text(field, lang, value, now=now)


def call_create(
    *,
    actor: User,
    network: Network,
    component: str,
    region: str,
    title_sv: str = "",
    title_uk: str = "",
    title_en: str = "",
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    budget: Decimal | None = None,
    source_language: str = "sv",
    texts: Mapping[str, str] | None = None,
    min_reviews: int = 1,
) -> Call:
    """A new call, as a draft (the public does not see it until it is opened). `texts` holds
    the other texts by `<field>_<language>` (`guidelines_uk`)."""
    now = timezone.now()
    written = {"title_sv": title_sv, "title_uk": title_uk, "title_en": title_en, **(texts or {})}
    with transaction.atomic():
        call = Call(
            network=network,
            component=component,
            region=region,
            opens_at=opens_at,
            closes_at=closes_at,
            budget=budget,
            source_language=source_language,
            source_updated_at=now,
            min_reviews=min_reviews,
        )
        _write_texts(call, written, now=now)
        call.save()
        audit_record(actor=actor, action="create", obj=call, after=_snapshot(call))
    return call


def call_update(
    *,
    actor: User,
    call: Call,
    facts: Mapping[str, object],
    texts: Mapping[str, str],
    source_language: str | None = None,
) -> Call:
    """Change a call's facts (`CALL_FACTS`) and texts; whatever is not given stays. Audited
    with what changed (nothing changed: nothing written)."""
    now = timezone.now()
    with transaction.atomic():
        # The decisions lock the same row, so no grant slips in between the check and the save.
        row = Call.objects.select_for_update().get(pk=call.pk)
        before = _snapshot(row)
        for name in CALL_FACTS:
            if name in facts:
                setattr(row, name, facts[name])
        committed = call_committed(row)
        if row.budget is not None and row.budget < committed:
            raise ValidationError(
                _(
                    "The budget cannot be less than the SEK %(committed)s already granted "
                    "from this call."
                )
                % {"committed": format_money(committed, "")},
                code="below_committed",
            )
        if source_language and source_language != row.source_language:
            row.source_language = source_language
            row.source_updated_at = now
        _write_texts(row, texts, now=now)
        after = _snapshot(row)
        changed = sorted(key for key in after if after[key] != before[key])
        if changed:
            row.save()
            audit_record(
                actor=actor,
                action="update",
                obj=row,
                before={key: before[key] for key in changed},
                after={key: after[key] for key in changed},
            )
    return row


def _call_step(*, actor: User, call: Call, action: str, reason: str = "") -> Call:
    with transaction.atomic():
        row = Call.objects.select_for_update().get(pk=call.pk)
        step = getattr(row, action)
        if not can_proceed(step, check_conditions=False):
            raise ValidationError(
                _("This step is not possible while the call is %(state)s.")
                % {"state": CallState(row.state).label}
            )
        if not can_proceed(step):
            missing = ", ".join(str(CALL_TEXT_NAMES[f]) for f in row.texts_missing())
            raise ValidationError(
                _("Write these texts in the call's original language before opening it: %(texts)s.")
                % {"texts": missing}
            )
        before = row.state
        step()
        row.save()
        audit_record(
            actor=actor,
            action=action,
            obj=row,
            before={"state": before},
            after={"state": row.state},
            reason=reason,
        )
    return row


def call_open(*, actor: User, call: Call) -> Call:
    """Publish a draft (or closed) call: the public sees it, as upcoming until it opens."""
    return _call_step(actor=actor, call=call, action="open")


def call_close(*, actor: User, call: Call, reason: str = "") -> Call:
    """Close a published call: it takes no new applications and is listed as past."""
    return _call_step(actor=actor, call=call, action="close", reason=reason)
