"""Writes for partnerships, networks and their vocabularies, including the seed network."""

import csv
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from partnernet.municipalities.models import Municipality

from . import seed
from .models import CooperationArea, Goal, Network, NetworkMeeting, Partnership, Tag

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
    _kick_off(network)
    areas = {slug: _area(slug, dac, sv, en, uk) for slug, dac, sv, en, uk in seed.AREAS}
    tags = [_tag(slug, sv, en, uk) for slug, sv, en, uk in seed.TAGS]
    goals = list(Goal.objects.filter(number__in=seed.GOALS))
    for item in seed.PARTNERSHIPS:
        _seed_partnership(item, network, areas[item["area"]], tags, goals, stamp)
    return network


def _kick_off(network: Network) -> None:
    meeting = dict(seed.KICK_OFF)
    starts_at = datetime.fromisoformat(meeting.pop("starts_at"))
    NetworkMeeting.objects.update_or_create(
        network=network,
        starts_at=starts_at,
        defaults={**meeting, "title": meeting["title_sv"], "summary": meeting["summary_sv"]},
    )


def _area(slug: str, dac: str, sv: str, en: str, uk: str) -> CooperationArea:
    names = {"name": sv, "name_sv": sv, "name_en": en, "name_uk": uk}
    return CooperationArea.objects.update_or_create(
        slug=slug, defaults={"dac_sector": dac, **names}
    )[0]


def _tag(slug: str, sv: str, en: str, uk: str) -> Tag:
    names = {"name": sv, "name_sv": sv, "name_en": en, "name_uk": uk}
    return Tag.objects.update_or_create(slug=slug, defaults=names)[0]


def _seed_partnership(item: dict, network, area, tags, goals, stamp) -> Partnership:
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
            "is_published": True,
            "published_at": stamp,
            "source_language": "sv",
            "source_updated_at": stamp,
            "translated_at": {"en": stamp.isoformat(), "uk": stamp.isoformat()},
        },
    )
    partnership.goals.set(goals)
    partnership.tags.set(tags)
    return partnership
