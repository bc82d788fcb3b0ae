"""The registry: countries, regions (län, oblasts, raions) and the local and regional
governments that may be partners (`Municipality`: kommuner, hromadas, cities with special status,
Swedish regions, Ukrainian oblasts and the local or regional governments of other countries).

A `Region` is a territory (a county, an oblast, a raion); the government of a county or an
oblast, which can join the network and be a partner, is a `Municipality` of kind `region` or
`oblast` whose `region` is that territory and whose code is the territory's code."""

from typing import TYPE_CHECKING

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .countries import COUNTRIES
from .partners import SWEDEN, UKRAINE


class Country(models.Model):
    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    class Level(models.IntegerChoices):
        FIRST = 1, _("county or oblast")
        SECOND = 2, _("raion")

    code = models.CharField(_("official code"), max_length=32, unique=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="regions")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("name"), max_length=150)
    name_latin = models.CharField(_("Latin name"), max_length=150, blank=True)
    if TYPE_CHECKING:  # the language columns modeltranslation adds (translation.py)
        name_sv: str
        name_uk: str
        name_en: str

    class Meta:
        ordering = ["country", "level", "name_latin", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    class Kind(models.TextChoices):
        KOMMUN = "kommun", _("municipality (kommun)")
        URBAN = "urban", _("urban hromada")
        SETTLEMENT = "settlement", _("settlement hromada")
        RURAL = "rural", _("rural hromada")
        SPECIAL_CITY = "special_city", _("city with special status")
        REGION = "region", _("region (regional government)")
        OBLAST = "oblast", _("oblast")
        LOCAL = "local", _("local government")

    code = models.CharField(_("official code"), max_length=32, unique=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="municipalities")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="municipalities"
    )
    raion = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="raion_municipalities"
    )
    name = models.CharField(_("display name"), max_length=150)
    official_name = models.CharField(_("official name"), max_length=200)
    name_latin = models.CharField(_("official Latin transliteration"), max_length=200, blank=True)
    alt_names = models.TextField(_("alternative spellings"), blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_date = models.DateField(_("population date"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    if TYPE_CHECKING:  # the language columns modeltranslation adds (translation.py)
        name_sv: str
        name_uk: str
        name_en: str

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        indexes = [models.Index(fields=["country", "kind"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("municipalities:detail", kwargs={"code": self.code})

    @property
    def is_swedish(self) -> bool:
        return self.country_id == SWEDEN

    @property
    def official_language(self) -> str:
        """The language its official name is written in (BCP 47, for `lang` attributes)."""
        info = COUNTRIES.get(self.country_id)
        return info.language if info else ""

    @property
    def is_regional(self) -> bool:
        return self.kind in REGIONAL_KINDS


__all__ = [
    "OTHER_COUNTRY_KINDS",
    "REGIONAL_KINDS",
    "SWEDEN",
    "UKRAINE",
    "Country",
    "Municipality",
    "Region",
]
REGIONAL_KINDS = frozenset({Municipality.Kind.REGION, Municipality.Kind.OBLAST})
# The kinds an officer may give a local or regional government of another country.
OTHER_COUNTRY_KINDS = (Municipality.Kind.LOCAL, Municipality.Kind.REGION)
