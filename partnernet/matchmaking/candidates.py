"""Reads that turn the registry, the profiles and the partnerships into plain `Party` values
for the pure engine (`scoring.py`). A fixed number of queries, whatever the number of
candidates; stored embeddings are read as bytes, never recomputed here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

from django.db import models
from django.utils.translation import get_language

from partnernet.lib import embeddings
from partnernet.municipalities.models import Municipality
from partnernet.municipalities.partners import SWEDEN
from partnernet.partnerships.models import Network, Partnership

from . import meaning, scoring, topics
from .models import InterestProfile
from .scoring import Party, Pool, Suggestion
from .services import embed_texts

FIELDS = ("id", "code", "name", "country_id", "kind", "population", "region__code")


def _name_field() -> str:
    return f"name_{(get_language() or 'sv')[:2]}"


def _links() -> tuple[dict[int, set[str]], dict[int, int], dict[str, set[str]]]:
    """(partner codes per municipality, partnerships per municipality, linked regions per
    region)."""
    partners: dict[int, set[str]] = defaultdict(set)
    load: dict[int, int] = defaultdict(int)
    regions: dict[str, set[str]] = defaultdict(set)
    rows = Partnership.objects.exclude(status=Partnership.Status.CLOSED).values_list(
        "swedish_partner_id",
        "partner_id",
        "swedish_partner__code",
        "partner__code",
        "swedish_partner__region__code",
        "partner__region__code",
    )
    for se_id, ua_id, se_code, ua_code, se_region, ua_region in rows:
        partners[se_id].add(ua_code)
        partners[ua_id].add(se_code)
        load[se_id] += 1
        load[ua_id] += 1
        if se_region and ua_region:
            regions[se_region].add(ua_region)
            regions[ua_region].add(se_region)
    return partners, load, regions


def _profiles(network: Network, municipalities) -> dict[int, dict]:
    profiles = InterestProfile.objects.filter(network=network, municipality__in=municipalities)
    rows: dict[int, dict[str, Any]] = {
        p["municipality_id"]: {**p, "areas": set(), "excluded": set()}
        for p in profiles.values(
            "id",
            "municipality_id",
            "capacity",
            "keywords",
            "topics",
            "embedding",
            "source_language",
        )
    }
    by_profile = {p["id"]: p for p in rows.values()}
    through = InterestProfile.areas.through._default_manager.filter(
        interestprofile_id__in=by_profile
    )
    for profile_id, slug in through.values_list("interestprofile_id", "cooperationarea__slug"):
        by_profile[profile_id]["areas"].add(slug)
    excluded_through = cast(type[models.Model], InterestProfile.excluded.through)
    excluded = excluded_through._default_manager.filter(interestprofile_id__in=by_profile)
    for profile_id, code in excluded.values_list("interestprofile_id", "municipality__code"):
        by_profile[profile_id]["excluded"].add(code)
    return rows


def parties(
    *, network: Network, swedish: bool | None = None, ids: list[int] | None = None
) -> list[Party]:
    """Every municipality of one side (Swedish, or all the others), or the given ones."""
    queryset = Municipality.objects.all()
    if swedish is not None:
        queryset = (
            queryset.filter(country_id=SWEDEN) if swedish else queryset.exclude(country_id=SWEDEN)
        )
    if ids is not None:
        queryset = queryset.filter(id__in=ids)
    rows = list(queryset.values(*FIELDS, _name_field(), "region__name", f"region__{_name_field()}"))
    profiles = _profiles(network, queryset.values("id"))
    partners, load, regions = _links()
    return [_party(row, profiles.get(row["id"]), partners, load, regions) for row in rows]


def _party(row: dict, profile: dict | None, partners, load, regions) -> Party:
    profile = profile or {}
    region = row["region__code"] or ""
    return Party(
        key=row["code"],
        name=row[_name_field()] or row["name"],
        country=row["country_id"],
        kind=row["kind"],
        region=region,
        region_name=row[f"region__{_name_field()}"] or row["region__name"] or "",
        population=row["population"],
        has_profile=bool(profile),
        areas=frozenset(profile.get("areas", ())),
        topics=frozenset(profile.get("topics", ())),
        keywords=frozenset((profile.get("keywords") or "").split()),
        embedding=meaning.topic_vector(
            embeddings.from_bytes(profile.get("embedding")), profile.get("source_language", "")
        ),
        capacity=profile.get("capacity", 1),
        load=load.get(row["id"], 0),
        excluded=frozenset(profile.get("excluded", ())),
        partners=frozenset(partners.get(row["id"], ())),
        linked_regions=frozenset(regions.get(region, ())),
    )


def pool(*, network: Network, swedish: bool) -> Pool:
    return Pool(parties(network=network, swedish=swedish))


def suggest(*, network: Network, municipality: Municipality, top: int = 10) -> list[Suggestion]:
    """Ranked partners for one municipality, from the other side of the network."""
    seeker = parties(network=network, ids=[municipality.id])[0]
    return scoring.rank(seeker, pool(network=network, swedish=not seeker.offers), top=top)


def need_party(text: str) -> Party:
    """A need written in free text, in any of the three languages, as an (unnamed) seeker.
    Embedded as a passage, like the profiles, so both sit in the same space."""
    keys = topics.keywords_any(text)
    vector = embed_texts([text]).get(text)
    return Party(
        key="",
        name="",
        country="UA",
        has_profile=True,
        keywords=frozenset(keys),
        topics=frozenset(topics.detect(keys)),
        embedding=meaning.topic_vector(vector, meaning.guess_language(text)),
    )


def suggest_for_need(*, network: Network, text: str, top: int = 10) -> list[Suggestion]:
    """Swedish municipalities ranked for a need described in free text."""
    return scoring.rank(need_party(text), pool(network=network, swedish=True), top=top)


@dataclass(frozen=True)
class Groups:
    """Suggestions set apart by what an officer can do with them: `ready` (an interest
    profile and room for another partnership, or already partners), `full` (a profile but no
    free capacity) and `no_profile` (ranked by size, kind and region only)."""

    ready: list[Suggestion]
    full: list[Suggestion]
    no_profile: list[Suggestion]


def _free(party: Party) -> bool:
    return party.capacity - party.load > 0


def suggest_grouped(*, network: Network, municipality: Municipality, top: int = 10) -> Groups:
    """Ranked partners for one municipality, in the three groups of `Groups` (each ranked on
    its own, so a full or profile-less candidate never takes a place among the ready)."""
    seeker = parties(network=network, ids=[municipality.id])[0]
    others = parties(network=network, swedish=not seeker.offers)
    ready = [p for p in others if p.has_profile and (_free(p) or p.key in seeker.partners)]
    full = [p for p in others if p.has_profile and not _free(p) and p.key not in seeker.partners]
    bare = [p for p in others if not p.has_profile]
    return Groups(
        *(
            scoring.rank(seeker, Pool(group), top=top) if group else []
            for group in (ready, full, bare)
        )
    )
