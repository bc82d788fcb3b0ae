"""Writes to the registry: importing municipalities from the reference CSV files."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import transaction

from .models import Country, Municipality, Region
from .names import hromada_names, kommun_names, search_text
from .rows import ParsedFile, parse_registry_csv

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
COUNTRIES = {
    "SE": {"name_sv": "Sverige", "name_en": "Sweden", "name_uk": "Швеція"},
    "UA": {"name_sv": "Ukraina", "name_en": "Ukraine", "name_uk": "Україна"},
}


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
    for code, names in COUNTRIES.items():
        Country.objects.update_or_create(code=code, defaults={"name": names["name_sv"], **names})


def municipalities_import(*, data: bytes) -> ImportResult:
    """Validate every row, then upsert all of them in one transaction; on any error write
    nothing."""
    parsed = parse_registry_csv(data)
    if parsed.errors:
        raise ImportRejected(parsed.errors)
    with transaction.atomic():
        countries_ensure()
        before = set(Municipality.objects.values_list("code", flat=True))
        objects = _swedish(parsed) if parsed.kind == "se" else _ukrainian(parsed)
        _upsert(Municipality, objects, MUNICIPALITY_FIELDS)
    codes = {m.code for m in objects}
    return ImportResult(parsed.kind, len(codes - before), len(codes & before))


def municipalities_import_reference_data() -> list[ImportResult]:
    """The bundled registry: 290 kommuner, 1 469 hromadas and the special-status cities."""
    results = [
        municipalities_import(data=(DATA_DIR / name).read_bytes())
        for name in ("se_municipalities.csv", "ua_hromadas.csv")
    ]
    special_cities_import()
    return results


def special_cities_import() -> None:
    with (DATA_DIR / "special_cities.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ukraine = Country.objects.get(code="UA")
    for row in rows:
        names = {"name_sv": row["name_sv"], "name_en": row["name_latin"], "name_uk": row["name_uk"]}
        region = _upsert_regions(
            [
                Region(
                    code=row["katottg"],
                    country=ukraine,
                    level=1,
                    name=row["name_uk"],
                    name_sv=row["name_latin"],
                    name_en=row["name_latin"],
                    name_uk=row["name_uk"],
                    name_latin=row["name_latin"],
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
                "search_text": search_text(*names.values(), "Kiev", "Kijev", "Киев"),
            },
        )


def _swedish(parsed: ParsedFile) -> list[Municipality]:
    sweden = Country.objects.get(code="SE")
    counties = _upsert_regions(
        Region(
            code=f"SE{r['county_code']}",
            country=sweden,
            level=1,
            name=r["county_name"],
            name_sv=r["county_name"],
            name_en=r["county_name"],
            name_uk=r["county_name"],
            name_latin=r["county_name"],
        )
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
        search_text=search_text(row["name"], names["name_uk"], row["kommunkod"]),
    )


def _ukrainian(parsed: ParsedFile) -> list[Municipality]:
    ukraine = Country.objects.get(code="UA")
    oblasts = _upsert_regions(
        Region(
            code=r["oblast_katottg"],
            country=ukraine,
            level=1,
            name=r["oblast_name_uk"],
            name_uk=f"{r['oblast_name_uk']} область",
            name_en=f"{r['oblast_name_latin']} oblast",
            name_sv=f"{r['oblast_name_latin']} oblast",
            name_latin=r["oblast_name_latin"],
        )
        for r in parsed.rows
    )
    raions = _upsert_regions(
        Region(
            code=r["raion_katottg"],
            country=ukraine,
            level=2,
            parent=oblasts[r["oblast_katottg"]],
            name=r["raion_name_uk"],
            name_uk=f"{r['raion_name_uk']} район",
            name_en=f"{r['raion_name_latin']} raion",
            name_sv=f"{r['raion_name_latin']} rajon",
            name_latin=r["raion_name_latin"],
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
