"""What the public may see of a partnership: the one owner of that rule.

`public_partnership(p)` is a pure function of an instance and the relations already loaded on
it (no query): it returns an unsaved copy in which every field kept private is blank, the title
is derived only from public fields ("Umeå and a partner in Ukraine" when the partner is kept
private) and the address does not name a private partner. Every public channel (pages and
cards, the search document, facet counts, filters and sort keys, the map, the feed, the
sitemap, the API, the datasets and IATI) reads this copy and nothing else, so a field marked
private is hidden everywhere at once. Selectors decide *which* rows are public (published
ones); this module decides *what* of a row is.
"""

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.text import slugify

from partnernet.lib.languages import LANGUAGES
from partnernet.municipalities.models import Municipality

from .models import PRIVATISABLE_FIELDS, FundingTransaction, Partnership, Tag

CONJUNCTIONS = {"sv": "och", "en": "and", "uk": "і"}
# The partner's country stays public (it is in the programme's name); its municipality may not.
_A_PARTNER_IN = {
    "sv": "{swedish} och en partner i {country}",
    "en": "{swedish} and a partner in {country}",
    "uk": "{swedish} і партнер: {country}",
}
# Ukrainian needs the locative case after "в": written out for the programme's countries.
_UK_IN_COUNTRY = {"UA": "в Україні", "SE": "у Швеції", "MD": "в Молдові", "GE": "у Грузії"}
# Marking one field private blanks these attributes: the period is one fact, so a private
# start date hides the end date too.
BLANKS = {
    "partner": ("partner",),
    "summary": ("summary",),
    "description": ("description",),
    "tags": ("tags",),
    "start_date": ("start_date", "end_date"),
    "end_date": ("end_date",),
    # The money: the granted amount and every commitment and payment recorded for it.
    "granted_amount": ("granted_amount", "transactions"),
}
assert set(BLANKS) == set(PRIVATISABLE_FIELDS), "every privatisable field says what it blanks"
# A partner kept private is also taken out of the public texts that name it (writers often do).
_THE_PARTNER = {"sv": "partnerkommunen", "en": "the partner municipality", "uk": "громада-партнер"}
_PRIVATE_ADDRESS = re.compile(r"^(?P<swedish>[a-z0-9-]+)-partnership-(?P<pk>\d+)$")


def hidden(partnership: Partnership) -> frozenset[str]:
    """The public attributes blanked for `partnership`."""
    return blanked_by(partnership.private_fields)


def blanked_by(private_fields: Iterable[str] | None) -> frozenset[str]:
    """The public attributes a list of private fields blanks (unknown names are ignored rather
    than trusted: only declared fields can be private)."""
    names: set[str] = set()
    for field in private_fields or ():
        names.update(BLANKS.get(field, ()))
    return frozenset(names)


def public_slug(partnership: Partnership) -> str:
    """The public address: the stored slug names both municipalities, so a partnership whose
    partner is private gets one that names only the Swedish side (`umea-partnership-12`)."""
    if "partner" not in hidden(partnership):
        return partnership.slug
    swedish = slugify(partnership.swedish_partner.name_sv or partnership.swedish_partner.name)
    return f"{swedish or 'sweden'}-partnership-{partnership.pk}"


def private_address_pk(slug: str) -> int | None:
    """The primary key a private-partner address names, if `slug` has that shape."""
    match = _PRIVATE_ADDRESS.match(slug)
    return int(match["pk"]) if match else None


def _name_pattern(municipality: Municipality) -> re.Pattern[str]:
    """Every spelling of a municipality's name, its exonyms and older spellings too, with any
    inflected ending (Коломия, Коломиї, Коломиєю; Kherson, Khersons; Kolomyja), as one
    case-insensitive pattern."""
    spellings = {
        getattr(municipality, attr, "") or ""
        for attr in ("name", "name_sv", "name_en", "name_uk", "name_latin", "official_name")
    }
    # Exonyms and older spellings (Kolomyja, Kolomea) name it as surely; very short ones would
    # take out ordinary words.
    spellings |= {
        line.strip() for line in (municipality.alt_names or "").splitlines() if len(line) >= 4
    }
    stems = sorted(
        {re.escape(s[:-1] if len(s) > 4 else s) for s in spellings if s.strip()},
        key=len,
        reverse=True,
    )
    if not stems:
        return re.compile(r"(?!)")  # a municipality without a name: nothing to take out
    # Not after a letter (rather than `\b`): a name joined by "_" or digits in a file name
    # ("protokoll_kolomyia.pdf", "2024Kolomyia.pdf") is found too; the ending is letters only.
    return re.compile(r"(?<![^\W\d_])(?:" + "|".join(stems) + r")[^\W\d_]*", re.IGNORECASE)


def public_titles(partnership: Partnership) -> dict[str, str]:
    """The title in each language, derived only from public fields (the stored title may name
    a private partner)."""
    swedish = partnership.swedish_partner
    partner = partnership.partner
    named = "partner" not in hidden(partnership)
    titles = {}
    for lang in LANGUAGES:
        own = getattr(swedish, f"name_{lang}", "") or swedish.name
        if named:
            other = getattr(partner, f"name_{lang}", "") or partner.name
            titles[lang] = f"{own} {CONJUNCTIONS[lang]} {other}"
            continue
        country = partner.country
        name = getattr(country, f"name_{lang}", "") or country.name
        if lang == "uk" and country.code in _UK_IN_COUNTRY:
            titles[lang] = f"{own} і партнер {_UK_IN_COUNTRY[country.code]}"
        else:
            titles[lang] = _A_PARTNER_IN[lang].format(swedish=own, country=name)
    return titles


def public_partnership(partnership: "Partnership | PublicPartnership") -> "PublicPartnership":
    """An unsaved copy of `partnership` holding only what the public may see.

    Blank means absent: a private partner is `None`, private texts are empty in every
    language, private tags an empty list, a private period or amount `None`. The copy refuses
    to be saved."""
    if isinstance(partnership, PublicPartnership):
        return partnership
    blanked = hidden(partnership)
    public = copy.copy(partnership)
    public._state = copy.copy(partnership._state)
    public._state.fields_cache = dict(partnership._state.fields_cache)
    prefetched = getattr(partnership, "_prefetched_objects_cache", None)
    if prefetched is not None:
        _set_off_model(public, _prefetched_objects_cache=dict(prefetched))
    titles = public_titles(partnership)
    public.title = titles["sv"]
    for lang, title in titles.items():
        setattr(public, f"title_{lang}", title)
    public.slug = public_slug(partnership)
    # The country stays public when the municipality does not (it is in the public title).
    _set_off_model(public, partner_country=partnership.partner.country)
    partner = None if "partner" in blanked else partnership.partner
    if partner is None:
        _set_off_model(public, partner_id=None)
        public._state.fields_cache.pop("partner", None)
    names = _name_pattern(partnership.partner) if partner is None else None
    _set_off_model(public, private_names=names)
    for field in ("summary", "description"):
        for attr in (field, *(f"{field}_{lang}" for lang in LANGUAGES)):
            if field in blanked:
                setattr(public, attr, "")
            elif names is not None:
                lang = attr.rsplit("_", 1)[1] if "_" in attr else partnership.source_language
                text = getattr(partnership, attr, "") or ""
                setattr(public, attr, _scrub(names, text, lang))
    empty = {"tags": Tag.objects.none(), "transactions": FundingTransaction.objects.none()}
    for relation, nothing in empty.items():
        if relation in blanked:
            cache = {**getattr(public, "_prefetched_objects_cache", {}), relation: nothing}
            _set_off_model(public, _prefetched_objects_cache=cache)
    for field in ("start_date", "end_date", "granted_amount"):
        if field in blanked:
            setattr(public, field, None)
    _set_off_model(public, is_public_projection=True)
    return PublicPartnership(public, partner)


def public_text(partnership: "Partnership | PublicPartnership", text: str, language: str) -> str:
    """A text written about the partnership (a description, an activity's short report) as
    the public may read it: a private partner's name, in any spelling and inflection, is
    replaced by "the partner municipality" in the text's `language`. The one scrubber: every
    public text that may name the partner goes through it."""
    if isinstance(partnership, PublicPartnership):
        names = partnership.private_names
    else:
        names = _name_pattern(partnership.partner) if "partner" in hidden(partnership) else None
    return _scrub(names, text or "", language) if names is not None else text or ""


def _scrub(names: re.Pattern[str], text: str, language: str) -> str:
    return names.sub(_THE_PARTNER.get(language, "…"), text)


def _set_off_model(row: Partnership, **attributes: object) -> None:
    """Set on the copy what the model's type rightly does not have: attributes of the
    projection's own (`partner_country`, `is_public_projection`), Django's prefetch cache, and
    an empty `partner_id` (which only this never-saved copy may hold)."""
    for name, value in attributes.items():
        setattr(row, name, value)


class PublicPartnership:
    """The public copy of a partnership: reads as the model instance does (templates, `pk`,
    `get_absolute_url`, prefetched relations), except that a private partner reads `None`
    (which a non-null foreign key on the model itself cannot)."""

    __slots__ = ("_row", "partner")

    def __init__(self, row: Partnership, partner: Municipality | None) -> None:
        self._row = row
        self.partner = partner

    # Any, honestly: the copy reads as the model row does, whatever attribute is asked for.
    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)

    def __str__(self) -> str:
        return str(self._row.title)

    def save(self, *args: object, **kwargs: object) -> None:
        raise TypeError("the public projection of a partnership is never saved")


def public_partnerships(
    partnerships: Iterable["Partnership | PublicPartnership"],
) -> list["PublicPartnership"]:
    """`public_partnership` of each, in order."""
    return [public_partnership(p) for p in partnerships]


@dataclass(frozen=True, slots=True)
class PublicFacts:
    """The public facts of a published partnership that lists, counts and sorts read (the
    catalogue's facet index, at 100 000 partnerships): the same values the public projection
    holds for these attributes, made without copying a model instance per row."""

    pk: int
    slug: str
    title_sv: str
    title_en: str
    title_uk: str
    swedish_partner: Municipality
    partner: Municipality | None  # None when kept private
    partner_country: Any  # the country stays public (it is in the public title)
    area: Any
    network: Any
    phase: str
    status: str
    start_date: date | None  # None when the period is kept private
    goals: tuple[Any, ...]
    tags: tuple[Any, ...]  # empty when kept private


@dataclass(frozen=True, slots=True)
class _Stand:
    """What `public_titles` and `public_slug` read of a partnership, for one row of values."""

    pk: int
    slug: str
    private_fields: Any
    swedish_partner: Municipality
    partner: Municipality


def public_facts(
    *,
    pk: int,
    slug: str,
    private_fields: Iterable[str] | None,
    swedish_partner: Municipality,
    partner: Municipality,
    area: Any,
    network: Any,
    phase: str,
    status: str,
    start_date: date | None,
    goals: tuple[Any, ...],
    tags: tuple[Any, ...],
) -> PublicFacts:
    """The public facts of one row, blanked by the same rules as `public_partnership` (its
    titles and address are made by the same functions)."""
    blanked = blanked_by(private_fields)
    stand = _Stand(pk, slug, private_fields, swedish_partner, partner)
    titles = public_titles(stand)  # type: ignore[arg-type]  # reads only what _Stand holds
    return PublicFacts(
        pk=pk,
        slug=public_slug(stand),  # type: ignore[arg-type]
        title_sv=titles["sv"],
        title_en=titles["en"],
        title_uk=titles["uk"],
        swedish_partner=swedish_partner,
        partner=None if "partner" in blanked else partner,
        partner_country=partner.country,
        area=area,
        network=network,
        phase=phase,
        status=status,
        start_date=None if "start_date" in blanked else start_date,
        goals=goals,
        tags=() if "tags" in blanked else tags,
    )
