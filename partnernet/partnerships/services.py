"""Writes for partnerships, networks and their vocabularies, including the seed network, and
the publication lifecycle (publish, withdraw, back to draft) with field privacy."""

import csv
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed, can_proceed

from partnernet.accounts.models import User
from partnernet.audit.services import audit_record, transition_audited
from partnernet.municipalities.models import Municipality

from . import seed
from .models import (
    PRIVATISABLE_FIELDS,
    CooperationArea,
    Goal,
    Network,
    Partnership,
    Publication,
    Tag,
)

DATA_DIR = Path(settings.BASE_DIR) / "data"
CONJUNCTIONS = {"sv": "och", "en": "and", "uk": "і"}


def partnership_titles(*, swedish: Municipality, partner: Municipality) -> dict[str, str]:
    """`Falun och Kolomyia`, `Falun and Kolomyia`, `Фалун і Коломия`."""
    return {
        f"title_{lang}": " ".join(
            (getattr(swedish, f"name_{lang}"), word, getattr(partner, f"name_{lang}"))
        )
        for lang, word in CONJUNCTIONS.items()
    }


def goals_load() -> None:
    """The 17 global goals with their official numbers, names in three languages and colours."""
    with (DATA_DIR / "sdg_goals.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Goal.objects.update_or_create(
                number=int(row["goal"]),
                defaults={
                    "short_name": row["short_name_sv"],
                    "short_name_sv": row["short_name_sv"],
                    "short_name_en": row["short_name_en"],
                    "short_name_uk": row["short_name_uk"],
                    "title": row["title_en"],
                    "title_sv": "",
                    "title_en": row["title_en"],
                    "title_uk": row["title_uk"],
                    "colour": row["colour_hex"],
                },
            )


@transaction.atomic
def seed_network_load() -> Network:
    """The democratic-resilience network and its six partnerships; safe to run again."""
    goals_load()
    stamp = timezone.now()
    translated = {"en": stamp.isoformat(), "uk": stamp.isoformat()}
    network, _ = Network.objects.update_or_create(
        slug=seed.NETWORK["slug"],
        defaults={
            **seed.NETWORK,
            "name": seed.NETWORK["name_sv"],
            "description": seed.NETWORK["description_sv"],
            "source_language": "sv",
            "source_updated_at": stamp,
            "translated_at": translated,
        },
    )
    areas = {slug: _area(slug, dac, sv, en, uk) for slug, dac, sv, en, uk in seed.AREAS}
    tags = [_tag(slug, sv, en, uk) for slug, sv, en, uk in seed.TAGS]
    goals = list(Goal.objects.filter(number__in=seed.GOALS))
    for item in seed.PARTNERSHIPS:
        _seed_partnership(item, network, areas[item["area"]], tags, goals, stamp)
    return network


def _area(slug: str, dac: str, sv: str, en: str, uk: str) -> CooperationArea:
    names = {"name": sv, "name_sv": sv, "name_en": en, "name_uk": uk}
    return CooperationArea.objects.update_or_create(
        slug=slug, defaults={"dac_sector": dac, **names}
    )[0]


def _tag(slug: str, sv: str, en: str, uk: str) -> Tag:
    names = {"name": sv, "name_sv": sv, "name_en": en, "name_uk": uk}
    return Tag.objects.update_or_create(slug=slug, defaults=names)[0]


def _seed_partnership(
    item: dict,
    network: Network,
    area: CooperationArea,
    tags: list[Tag],
    goals: list[Goal],
    stamp: datetime,
) -> Partnership:
    swedish = Municipality.objects.get(code=item["swedish"])
    partner = Municipality.objects.get(code=item["partner"])
    Municipality.objects.filter(pk=swedish.pk).update(official_name=item["official_name"])
    texts = {k: v for k, v in item.items() if k.startswith(("summary_", "description_"))}
    partnership, _ = Partnership.objects.update_or_create(
        slug=item["slug"],
        defaults={
            **partnership_titles(swedish=swedish, partner=partner),
            **texts,
            "title": f"{swedish.name_sv} och {partner.name_sv}",
            "summary": texts["summary_sv"],
            "description": texts["description_sv"],
            "swedish_partner": swedish,
            "partner": partner,
            "network": network,
            "area": area,
            "phase": Partnership.Phase.INCEPTION,
            "status": Partnership.Status.ACTIVE,
            "start_date": date(2024, 12, 16),
            "published_at": stamp,
            "source_language": "sv",
            "source_updated_at": stamp,
            "translated_at": {"en": stamp.isoformat(), "uk": stamp.isoformat()},
        },
    )
    if partnership.publication == Publication.DRAFT:
        partnership.publish()
        partnership.save(update_fields=["publication", "updated_at"])
    partnership.goals.set(goals)
    partnership.tags.set(tags)
    return partnership


# Publication -----------------------------------------------------------------------------------
class PublicationRefused(Exception):
    """A publication change that is not possible: its message is translated for the reader."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


ACTIONS = ("publish", "withdraw", "return_to_draft")
MAX_REASON = 500


def _locked(partnership: Partnership) -> Partnership:
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


def _state_label(partnership: Partnership) -> str:
    return str(Publication(partnership.publication).label)


def _refusal(partnership: Partnership, action: str) -> PublicationRefused:
    if action == "publish" and partnership.publication in (
        Publication.DRAFT,
        Publication.WITHDRAWN,
    ):
        return PublicationRefused(
            _(
                "The partnership cannot be published yet: it needs a title, both partners "
                "and a focus or description in at least one language."
            )
        )
    return PublicationRefused(
        _("This is not possible while the partnership is %(state)s.")
        % {"state": _state_label(partnership)}
    )


def allowed_actions(partnership: Partnership) -> list[str]:
    """The transitions the lifecycle allows now, guards included (what the screen offers)."""
    return [action for action in ACTIONS if can_proceed(getattr(partnership, action))]


def _transition(
    *, partnership: Partnership, action: str, actor: User, reason: str = ""
) -> Partnership:
    with transaction.atomic():
        locked = _locked(partnership)
        if not can_proceed(getattr(locked, action)):
            raise _refusal(locked, action)
        try:
            transition_audited(
                obj=locked,
                action=action,
                field="publication",
                actor=actor,
                reason=reason,
                update_fields=["publication", "published_at", "updated_at"],
            )
        except TransitionNotAllowed as error:  # a guard changed in between
            raise _refusal(locked, action) from error
    return locked


def partnership_publish(*, partnership: Partnership, actor: User) -> Partnership:
    """Draft or withdrawn → published (when it has a title, both partners and a text)."""
    return _transition(partnership=partnership, action="publish", actor=actor)


def partnership_withdraw(*, partnership: Partnership, actor: User, reason: str) -> Partnership:
    """Published → withdrawn: gone from every public channel at once. A reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise PublicationRefused(_("Say why the partnership is withdrawn."))
    if len(reason) > MAX_REASON:
        raise PublicationRefused(_("The reason is too long."))
    return _transition(partnership=partnership, action="withdraw", actor=actor, reason=reason)


def partnership_return_to_draft(*, partnership: Partnership, actor: User) -> Partnership:
    """Withdrawn → draft."""
    return _transition(partnership=partnership, action="return_to_draft", actor=actor)


def _privacy_field(field: str) -> str:
    if field not in PRIVATISABLE_FIELDS:
        raise PublicationRefused(_("This field cannot be kept private."))
    return field


def _save_privacy(
    partnership: Partnership,
    *,
    actor: User,
    action: str,
    field: str,
    before: list[str],
    reason: str,
) -> None:
    partnership.save(update_fields=["private_fields", "private_reasons", "updated_at"])
    audit_record(
        actor=actor,
        action=action,
        obj=partnership,
        reason=reason,
        before={"private_fields": before},
        after={"private_fields": list(partnership.private_fields), "field": field},
    )


def partnership_field_hide(
    *, partnership: Partnership, field: str, reason: str, actor: User
) -> Partnership:
    """Keep one field private (from every public channel), with the reason why."""
    field = _privacy_field(field)
    reason = (reason or "").strip()
    if not reason:
        raise PublicationRefused(_("Say why this field is kept private."))
    if len(reason) > MAX_REASON:
        raise PublicationRefused(_("The reason is too long."))
    with transaction.atomic():
        locked = _locked(partnership)
        before = list(locked.private_fields or [])
        private = [f for f in PRIVATISABLE_FIELDS if f in before or f == field]
        private += [f for f in before if f not in private]
        locked.private_fields = private
        locked.private_reasons = {**(locked.private_reasons or {}), field: reason}
        _save_privacy(
            locked, actor=actor, action="field_hide", field=field, before=before, reason=reason
        )
    return locked


def partnership_field_show(*, partnership: Partnership, field: str, actor: User) -> Partnership:
    """Publish one private field again."""
    field = _privacy_field(field)
    with transaction.atomic():
        locked = _locked(partnership)
        before = list(locked.private_fields or [])
        if field not in before:
            raise PublicationRefused(_("This field is already public."))
        locked.private_fields = [f for f in before if f != field]
        locked.private_reasons = {
            k: v for k, v in (locked.private_reasons or {}).items() if k != field
        }
        _save_privacy(
            locked, actor=actor, action="field_show", field=field, before=before, reason=""
        )
    return locked
