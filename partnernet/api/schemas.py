"""Request and response schemas of /api/v1 (pydantic, through ninja)."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints

from partnernet.municipalities.countries import (
    CODE_PATTERN,
    CODE_PATTERN_ANY_CASE,
    COUNTRY_PATTERN,
)

Language = Literal["sv", "uk", "en"]
# Control characters are refused site-wide (core.middleware), so the schema excludes them too.
PLAIN_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
PLAIN_TEXT_MULTILINE = PLAIN_TEXT
PathSlug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,120}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,80}$")]
MunicipalityCode = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
MunicipalityCodePath = Annotated[str, StringConstraints(pattern=CODE_PATTERN_ANY_CASE)]
RegistryCountry = Annotated[str, StringConstraints(pattern=COUNTRY_PATTERN)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Sdg = Annotated[int, Field(ge=1, le=17)]
Year = Annotated[int, Field(ge=1990, le=2100)]
Phase = Literal["interest", "inception", "project", "completed"]
Status = Literal["planned", "active", "paused", "closed"]
Sort = Literal["title", "-start", "start", "swedish_partner", "partner", "relevance"]
TranslationState = Literal["original", "current", "outdated", "missing"]


class LanguageParam(Schema):
    lang: Language | None = Field(
        None, description="Language of the content; default from Accept-Language."
    )


class PartnershipFilters(LanguageParam):
    """The catalogue's parameters; repeat a facet parameter for alternatives (OR)."""

    q: str = Field(
        "", max_length=200, pattern=PLAIN_TEXT, description="Text search in the three languages."
    )
    country: list[CountryCode] = Field([], description="ISO alpha-2 of the international partner.")
    swedish_partner: list[MunicipalityCode] = Field(
        [], description="Kommunkod of the Swedish partner."
    )
    partner: list[MunicipalityCode] = Field(
        [], description="Official code of the international partner."
    )
    area: list[Slug] = Field([], description="Cooperation area slug.")
    sdg: list[Sdg] = Field([], description="Global goal number, 1-17.")
    tag: list[Slug] = Field([], description="Tag slug.")
    network: list[Slug] = Field([], description="Network slug.")
    phase: list[Phase] = Field([], description="Phase.")
    status: list[Status] = Field([], description="Status.")
    year: list[Year] = Field([], description="Start year.")
    sort: Sort | None = Field(None, description="Order; ties are broken by slug.")


class MunicipalityFilters(LanguageParam):
    q: str = Field(
        "",
        max_length=100,
        pattern=PLAIN_TEXT,
        description="Any spelling, script or transliteration.",
    )
    country: RegistryCountry | None = Field(
        None, description="ISO alpha-2 code of a country of the registry (SE, UA, MD, GE, …)."
    )


class MunicipalityRef(Schema):
    code: str
    name: str
    country: str


class Municipality(MunicipalityRef):
    kind: str
    official_name: str
    name_latin: str
    region: str | None
    population: int | None
    population_date: date | None
    latitude: float | None
    longitude: float | None


class NamedSlug(Schema):
    slug: str
    name: str


class Area(NamedSlug):
    dac_sector: str = Field(description="OECD DAC 5-digit purpose code.")


class Goal(Schema):
    number: int
    short_name: str
    title: str
    colour: str


class Network(NamedSlug):
    description: str
    funder: str
    launched_on: date | None
    partnerships: int = Field(description="Published partnerships in the network.")


class Partnership(Schema):
    """A published partnership; fields kept private (war-zone safety) are left out, so every
    field that can be private is optional."""

    slug: str
    url: str
    language: Language
    translation: TranslationState
    title: str
    summary: str | None = None
    description: str | None = None
    swedish_partner: MunicipalityRef
    partner: MunicipalityRef | None = None
    network: NamedSlug
    area: Area
    goals: list[int]
    tags: list[NamedSlug] | None = None
    phase: Phase
    status: Status
    start_date: date | None = None
    end_date: date | None = None
    granted_amount: int | None = None
    currency: str = "SEK"
    published_at: datetime | None = None


class OwnPartnership(Partnership):
    """A partnership you coordinate, published or not, with every field and language."""

    is_published: bool
    private_fields: list[str]
    source_language: Language
    texts: dict[str, dict[str, str]] = Field(description="summary/description per language.")


class TextsPatch(Schema):
    # A misspelt or read-only field is refused (422), not ignored with a 200 that changed nothing.
    model_config = ConfigDict(extra="forbid")

    language: Language
    summary: str | None = Field(None, max_length=2000, pattern=PLAIN_TEXT_MULTILINE)
    description: str | None = Field(None, max_length=20000, pattern=PLAIN_TEXT_MULTILINE)
