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


Links = tuple[dict[int, set[str]], dict[int, int], dict[str, set[str]]]


def _open_partnerships():
    return Partnership.objects.exclude(status=Partnership.Status.CLOSED).order_by()


def _links(partnerships=None) -> Links:
    """(partner codes per municipality, partnerships per municipality, linked regions per
    region) over `partnerships` (default: every one not closed)."""
    partners: dict[int, set[str]] = defaultdict(set)
    load: dict[int, int] = defaultdict(int)
    regions: dict[str, set[str]] = defaultdict(set)
    rows = (_open_partnerships() if partnerships is None else partnerships).values_list(
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


def _linked_regions(*partnerships) -> dict[str, set[str]]:
    """Linked regions per region over the union of the `partnerships` querysets, read as
    distinct pairs of region codes (the `regions` of `_links`, without a row per partnership).
    One query per side, so that each is an index-only scan of one side's open index rather
    than an OR that scans every partnership."""
    regions: dict[str, set[str]] = defaultdict(set)
    pairs = {
        pair
        for rows in partnerships
        for pair in rows.values_list("swedish_partner__region__code", "partner__region__code")
        .order_by()
        .distinct()
    }
    for se_region, ua_region in pairs:
        if se_region and ua_region:
            regions[se_region].add(ua_region)
            regions[ua_region].add(se_region)
    return regions


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


def _loads() -> dict[int, int]:
    """Open partnerships per municipality, either side, counted by the database (two grouped
    reads of two id columns, no join, no rows sent per partnership)."""
    load: dict[int, int] = defaultdict(int)
    for column in ("swedish_partner_id", "partner_id"):
        # COUNT(*), not COUNT(id): the partial index alone answers it (index-only scan).
        grouped = _open_partnerships().values_list(column).annotate(n=models.Count("*"))
        for pk, n in grouped:
            load[pk] += n
    return load


def _seeker_links(municipality: Municipality) -> tuple[Links, Links]:
    """What one suggestion needs of the partnerships, read narrowly: the seeker's own
    partnerships (its partners; each candidate's partnership with it), every municipality's
    load, and the regions linked to the seeker's region. Returns (links for the seeker, links
    for the candidates); a candidate's `partners` holds only the seeker (the only one the
    ranking asks about) and its `linked_regions` are not read by the ranking."""
    mine = _open_partnerships().filter(
        models.Q(swedish_partner_id=municipality.id) | models.Q(partner_id=municipality.id)
    )
    partners, _partial_load, _ = _links(mine)
    regions: dict[str, set[str]] = {}
    if municipality.region_id is not None:
        # The region's municipalities first (a few dozen), then their partnerships through
        # the (municipality, status) indexes: no join filter over every partnership.
        members = Municipality.objects.filter(region_id=municipality.region_id).values("id")
        regions = _linked_regions(
            _open_partnerships().filter(swedish_partner_id__in=members),
            _open_partnerships().filter(partner_id__in=members),
        )
    load = _loads()
    return (partners, load, regions), (partners, load, {})


def parties(
    *,
    network: Network,
    swedish: bool | None = None,
    ids: list[int] | None = None,
    links: Links | None = None,
) -> list[Party]:
    """Every municipality of one side (Swedish, or all the others), or the given ones.
    `links`: the partnerships' links when the caller read them (`_links()` otherwise)."""
    queryset = Municipality.objects.all()
    if swedish is not None:
        queryset = (
            queryset.filter(country_id=SWEDEN) if swedish else queryset.exclude(country_id=SWEDEN)
        )
    if ids is not None:
        queryset = queryset.filter(id__in=ids)
    rows = list(queryset.values(*FIELDS, _name_field(), "region__name", f"region__{_name_field()}"))
    profiles = _profiles(network, queryset.values("id"))
    partners, load, regions = _links() if links is None else links
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
    seeker, others = _sides(network=network, municipality=municipality)
    return scoring.rank(seeker, Pool(others), top=top)


def _sides(*, network: Network, municipality: Municipality) -> tuple[Party, list[Party]]:
    """The seeker and the candidates of the other side, with the partnerships read once and
    only as far as one ranking needs them (`_seeker_links`)."""
    for_seeker, for_others = _seeker_links(municipality)
    seeker = parties(network=network, ids=[municipality.id], links=for_seeker)[0]
    others = parties(network=network, swedish=not seeker.offers, links=for_others)
    return seeker, others


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
    seeker, others = _sides(network=network, municipality=municipality)
    ready = [p for p in others if p.has_profile and (_free(p) or p.key in seeker.partners)]
    full = [p for p in others if p.has_profile and not _free(p) and p.key not in seeker.partners]
    bare = [p for p in others if not p.has_profile]
    return Groups(
        *(
            scoring.rank(seeker, Pool(group), top=top) if group else []
            for group in (ready, full, bare)
        )
    )
