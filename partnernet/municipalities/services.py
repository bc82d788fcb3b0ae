"""Writes to the registry: importing municipalities from the reference CSV files, the regional
governments (Swedish regions, Ukrainian oblasts) and the governments of other countries."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils.translation import gettext as _

from partnernet.lib import languages

from .countries import COUNTRIES
from .models import SWEDEN, UKRAINE, Country, Municipality, Region
from .names import (
    hromada_names,
    kommun_names,
    oblast_government_names,
    oblast_names,
    other_spellings,
    region_government_names,
    search_text,
)
from .rows import OTHER_COLUMNS, ParsedFile, check_other_row, parse_registry_csv

_Row = TypeVar("_Row", Municipality, Region)  # the registry rows `_upsert` writes

DATA_DIR = Path(settings.BASE_DIR) / "data"
MUNICIPALITY_FIELDS = [
    "country",
    "kind",
    "region",
    "raion",
    "name",
    "name_sv",
    "name_en",
    "name_uk",
    "official_name",
    "name_latin",
    "alt_names",
    "population",
    "population_date",
    "latitude",
    "longitude",
    "search_text",
]


class ImportRejected(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    kind: str
    created: int
    updated: int


def countries_ensure() -> None:
    """Every country of the reference data (`data/countries.csv`), named in three languages."""
    for code, info in COUNTRIES.items():
        names = {f"name_{lang}": name for lang, name in info.names.items()}
        Country.objects.update_or_create(code=code, defaults={"name": info.names["sv"], **names})


def municipalities_import(*, data: bytes) -> ImportResult:
    """Validate every row, then upsert all of them in one transaction; on any error write
    nothing."""
    parsed = parse_registry_csv(data)
    if parsed.errors:
        raise ImportRejected(parsed.errors)
    with transaction.atomic():
        countries_ensure()
        before = set(Municipality.objects.values_list("code", flat=True))
        builders = {"se": _swedish, "ua": _ukrainian, "other": _others}
        objects = builders[parsed.kind](parsed)
        _upsert(Municipality, objects, MUNICIPALITY_FIELDS)
    codes = {m.code for m in objects}
    return ImportResult(parsed.kind, len(codes - before), len(codes & before))


def municipalities_import_reference_data() -> list[ImportResult]:
    """The bundled registry: 290 kommuner, 1 469 hromadas, the special-status cities, and the
    regional governments (21 Swedish regions, 24 oblasts)."""
    results = [
        municipalities_import(data=(DATA_DIR / name).read_bytes())
        for name in ("se_municipalities.csv", "ua_hromadas.csv")
    ]
    special_cities_import()
    regional_governments_import()
    return results


def regional_governments_import() -> None:
    """A partner row for each Swedish region (`data/se_regions.csv`, by county code) and each
    oblast, with the county's or oblast's code and, for the map, the mean of its
    municipalities' points (no source gives the seat's position). Idempotent."""
    with (DATA_DIR / "se_regions.csv").open(encoding="utf-8") as handle:
        swedish = {f"SE{row['county_code']}": row["name"] for row in csv.DictReader(handle)}
    territories = Region.objects.filter(level=Region.Level.FIRST).exclude(
        code__in=Municipality.objects.filter(kind=Municipality.Kind.SPECIAL_CITY).values("code")
    )
    objects = []
    points = _mean_points()
    for region in territories.select_related("country"):
        if region.country_id == SWEDEN:
            if region.code not in swedish:
                continue
            names, kind = region_government_names(swedish[region.code]), Municipality.Kind.REGION
            spellings = [names["name_sv"], region.name_sv or region.name]
        elif region.country_id == UKRAINE:
            # the codifier's adjective (the territory's `name` reads the active language)
            adjective = (region.name_uk or "").removesuffix(" область")
            names = oblast_government_names(adjective, region.name_latin)
            kind = Municipality.Kind.OBLAST
            spellings = [names["name_sv"], names["name_en"], names["name_uk"]]
            spellings += names["alt_names"].split("\n")
        else:
            continue
        lat, lon = points.get(region.pk, (None, None))
        objects.append(
            Municipality(
                code=region.code,
                country_id=region.country_id,
                kind=kind,
                region=region,
                name=names["name_sv"],
                **names,
                latitude=lat,
                longitude=lon,
                search_text=search_text(*spellings, region.code),
            )
        )
    _upsert(Municipality, objects, MUNICIPALITY_FIELDS)


def _mean_points() -> dict[int, tuple[float, float]]:
    """Region id → the mean of its local governments' points (one query)."""
    rows = (
        Municipality.objects.filter(region__level=Region.Level.FIRST, latitude__isnull=False)
        .exclude(kind__in=[Municipality.Kind.REGION, Municipality.Kind.OBLAST])
        .values("region_id")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude"))
        .order_by()
    )
    return {row["region_id"]: (round(row["lat"], 5), round(row["lon"], 5)) for row in rows}


def municipality_add(*, fields: dict[str, str]) -> Municipality:
    """Add one local or regional government of another country, checked by the same row rule
    as the import (`rows.check_other_row`) and refused when its code is taken."""
    row = {column: str(fields.get(column, "") or "").strip() for column in OTHER_COLUMNS}
    row["code"], row["country"] = row["code"].upper(), row["country"].upper()
    errors = check_other_row(row)
    if not errors and Municipality.objects.filter(code=row["code"]).exists():
        errors.append(_taken(row["code"]))
    if errors:
        raise ImportRejected(errors)
    try:
        with transaction.atomic():
            countries_ensure()
            municipality = _other(row, Country.objects.get(code=row["country"]))
            municipality.save()
    except IntegrityError:  # added by someone else since the check above
        raise ImportRejected([_taken(row["code"])]) from None
    return municipality


def _taken(code: str) -> str:
    return _("The code %(code)s is already in the registry.") % {"code": code}


def _others(parsed: ParsedFile) -> list[Municipality]:
    countries = Country.objects.in_bulk([row["country"].upper() for row in parsed.rows])
    return [_other(row, countries[row["country"].upper()]) for row in parsed.rows]


def _other(row: dict[str, str], country: Country) -> Municipality:
    latin = row["name_latin"]
    names = {lang: row.get(f"name_{lang}", "") or latin for lang in ("sv", "en", "uk")}
    return Municipality(
        code=row["code"].upper(),
        country=country,
        kind=row["kind"],
        name=names["sv"],
        name_sv=names["sv"],
        name_en=names["en"],
        name_uk=names["uk"],
        official_name=row["official_name"],
        name_latin=latin,
        alt_names=row["official_name"] if row["official_name"] != latin else "",
        population=_int(row["population"]),
        population_date=_date(row["population_date"]),
        latitude=_float(row["centroid_lat"]),
        longitude=_float(row["centroid_lon"]),
        search_text=search_text(row["official_name"], latin, *names.values(), row["code"]),
    )


def _region(
    code: str,
    country: Country,
    *,
    name: str,
    latin: str,
    parent: Region | None = None,
    **names: str,
) -> Region:
    """A region (unsaved) named `name` in its own language; `names` gives it per language
    (sv, en, uk), each defaulting to `name`. A region under `parent` is one level down."""
    return Region(
        code=code,
        country=country,
        level=parent.level + 1 if parent else 1,
        parent=parent,
        name=name,
        name_latin=latin,
        **{f"name_{lang}": names.get(lang, name) for lang in languages.LANGUAGES},
    )


def special_cities_import() -> None:
    with (DATA_DIR / "special_cities.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ukraine = Country.objects.get(code="UA")
    for row in rows:
        names = {"name_sv": row["name_sv"], "name_en": row["name_latin"], "name_uk": row["name_uk"]}
        region = _upsert_regions(
            [
                _region(
                    row["katottg"],
                    ukraine,
                    name=row["name_uk"],
                    latin=row["name_latin"],
                    sv=row["name_latin"],
                    en=row["name_latin"],
                    uk=row["name_uk"],
                )
            ]
        )[row["katottg"]]
        Municipality.objects.update_or_create(
            code=row["katottg"],
            defaults={
                "country": ukraine,
                "kind": Municipality.Kind.SPECIAL_CITY,
                "region": region,
                "name": row["name_sv"],
                **names,
                "official_name": f"місто {row['name_uk']}",
                "name_latin": row["name_latin"],
                "latitude": float(row["centroid_lat"]),
                "longitude": float(row["centroid_lon"]),
                "alt_names": "\n".join(other_spellings(row["name_latin"])),
                "search_text": search_text(*names.values(), *other_spellings(row["name_latin"])),
            },
        )


def _swedish(parsed: ParsedFile) -> list[Municipality]:
    sweden = Country.objects.get(code="SE")
    counties = _upsert_regions(
        _region(f"SE{r['county_code']}", sweden, name=r["county_name"], latin=r["county_name"])
        for r in parsed.rows
    )
    return [_kommun(row, sweden, counties[f"SE{row['county_code']}"]) for row in parsed.rows]


def _kommun(row: dict[str, str], sweden: Country, county: Region) -> Municipality:
    names = kommun_names(row)
    return Municipality(
        code=row["kommunkod"],
        country=sweden,
        kind=Municipality.Kind.KOMMUN,
        region=county,
        name=names["name_sv"],
        **names,
        population=_int(row["population"]),
        population_date=_date(row["population_date"]),
        latitude=_float(row["centroid_lat"]),
        longitude=_float(row["centroid_lon"]),
        search_text=search_text(
            row["name"], names["name_uk"], *names["alt_names"].split("\n"), row["kommunkod"]
        ),
    )


def _ukrainian(parsed: ParsedFile) -> list[Municipality]:
    ukraine = Country.objects.get(code="UA")
    oblasts = _upsert_regions(
        Region(
            code=r["oblast_katottg"],
            country=ukraine,
            level=1,
            name=r["oblast_name_uk"],
            **{
                **oblast_names(r["oblast_name_uk"], r["oblast_name_latin"]),
                "name_latin": r["oblast_name_latin"],
            },
        )
        for r in parsed.rows
    )
    raions = _upsert_regions(
        _region(
            r["raion_katottg"],
            ukraine,
            parent=oblasts[r["oblast_katottg"]],
            name=r["raion_name_uk"],
            latin=r["raion_name_latin"],
            uk=f"{r['raion_name_uk']} район",
            en=f"{r['raion_name_latin']} raion",
            sv=f"{r['raion_name_latin']} rajon",
        )
        for r in parsed.rows
    )
    return [
        _hromada(r, ukraine, oblasts[r["oblast_katottg"]], raions[r["raion_katottg"]])
        for r in parsed.rows
    ]


def _hromada(row: dict[str, str], ukraine: Country, oblast: Region, raion: Region) -> Municipality:
    names = hromada_names(row)
    spellings = [
        names["name_sv"],
        names["name_en"],
        names["name_uk"],
        *names["alt_names"].split("\n"),
    ]
    return Municipality(
        code=row["katottg"],
        country=ukraine,
        kind=row["hromada_type"],
        region=oblast,
        raion=raion,
        name=names["name_sv"],
        **names,
        latitude=_float(row["centroid_lat"]),
        longitude=_float(row["centroid_lon"]),
        search_text=search_text(*spellings),
    )


def _upsert_regions(regions: Iterable[Region]) -> dict[str, Region]:
    unique = {r.code: r for r in regions}
    fields = ["country", "level", "parent", "name", "name_sv", "name_en", "name_uk", "name_latin"]
    _upsert(Region, list(unique.values()), fields)
    return Region.objects.in_bulk(list(unique), field_name="code")


def _upsert(model: type[_Row], objects: list[_Row], update_fields: list[str]) -> None:
    # One statement per batch on both databases; `code` is the natural key, so re-imports update.
    model.objects.bulk_create(
        objects,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=update_fields,
    )


def _int(value: str) -> int | None:
    return int(value) if value else None


def _float(value: str) -> float | None:
    return float(value) if value else None


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None
