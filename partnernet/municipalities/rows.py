"""Validation of registry CSV rows: pure functions that return every error with its line."""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from .countries import COUNTRIES, OTHER_COUNTRIES
from .models import OTHER_COUNTRY_KINDS

SE_COLUMNS = [
    "kommunkod",
    "name",
    "county_code",
    "county_name",
    "population",
    "population_date",
    "centroid_lat",
    "centroid_lon",
]
UA_COLUMNS = [
    "katottg",
    "name_uk",
    "name_latin",
    "hromada_type",
    "hromada_type_uk",
    "oblast_katottg",
    "oblast_name_uk",
    "oblast_name_latin",
    "raion_katottg",
    "raion_name_uk",
    "raion_name_latin",
    "admin_centre_katottg",
    "admin_centre_name_uk",
    "admin_centre_name_latin",
    "admin_centre_category",
    "settlements_count",
    "codab_pcode",
    "centroid_lat",
    "centroid_lon",
]
# A local or regional government of another country, one per row (also what the officer's
# form checks): the code is the ISO country code followed by the country's own official code.
OTHER_COLUMNS = [
    "code",
    "country",
    "kind",
    "official_name",
    "name_latin",
    "name_sv",
    "name_en",
    "name_uk",
    "population",
    "population_date",
    "centroid_lat",
    "centroid_lon",
]
OTHER_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{1,28}$", re.ASCII)
KOMMUNKOD = re.compile(r"^\d{4}$", re.ASCII)
COUNTY = re.compile(r"^\d{2}$", re.ASCII)
KATOTTG = re.compile(r"^UA\d{17}$", re.ASCII)
HROMADA_TYPES = {"urban", "settlement", "rural"}


@dataclass
class ParsedFile:
    kind: str = ""
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_registry_csv(data: bytes) -> ParsedFile:
    """Detect the format by its header and validate every row; nothing is written here."""
    result = ParsedFile()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        result.errors.append(_("The file is not UTF-8 (byte %(pos)s).") % {"pos": exc.start})
        return result
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    if all(c in header for c in SE_COLUMNS):
        result.kind, check = "se", check_se_row
    elif all(c in header for c in UA_COLUMNS):
        result.kind, check = "ua", check_ua_row
    elif all(c in header for c in OTHER_COLUMNS):
        result.kind, check = "other", check_other_row
    else:
        result.errors.append(
            _(
                "Line 1: the header is not the Swedish, the Ukrainian or the other countries' "
                "format."
            )
        )
        return result
    seen: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        problems = check_row_shape(row) or check(row)
        code = (row.get("kommunkod") or row.get("katottg") or row.get("code") or "").strip()
        if code and code in seen:
            problems.append(
                _("code %(code)s repeats line %(line)s") % {"code": code, "line": seen[code]}
            )
        seen.setdefault(code, line)
        result.errors += [
            _("Line %(line)s: %(problem)s") % {"line": line, "problem": p} for p in problems
        ]
        result.rows.append({k: (v or "").strip() for k, v in row.items() if k})
    if not result.rows and not result.errors:
        result.errors.append(_("The file has no rows."))
    return result


def check_row_shape(row: dict) -> list[str]:
    if None in row:
        return [_("too many fields")]
    if any(v is None for v in row.values()):
        return [_("too few fields")]
    if any(ch in v for v in row.values() for ch in "\x00\r"):
        return [_("contains a control character")]
    return []


def check_se_row(row: dict[str, str]) -> list[str]:
    problems = []
    if not KOMMUNKOD.match(row["kommunkod"].strip()):
        problems.append(
            _("kommunkod must be four digits, not %(value)r") % {"value": row["kommunkod"]}
        )
    if not COUNTY.match(row["county_code"].strip()):
        problems.append(_("county_code must be two digits"))
    elif not row["kommunkod"].strip().startswith(row["county_code"].strip()):
        problems.append(_("kommunkod does not start with its county_code"))
    problems += require(row, "name", "county_name")
    problems += check_population(row["population"], row["population_date"])
    return problems + check_point(row["centroid_lat"], row["centroid_lon"], "SE")


def check_ua_row(row: dict[str, str]) -> list[str]:
    problems = []
    for column in ("katottg", "oblast_katottg", "raion_katottg"):
        if not KATOTTG.match(row[column].strip()):
            problems.append(_("%(column)s must be UA and 17 digits") % {"column": column})
    if row["hromada_type"].strip() not in HROMADA_TYPES:
        problems.append(_("hromada_type must be urban, settlement or rural"))
    problems += require(
        row,
        "name_uk",
        "name_latin",
        "oblast_name_uk",
        "oblast_name_latin",
        "raion_name_uk",
        "admin_centre_name_uk",
        "admin_centre_name_latin",
    )
    return problems + check_point(row["centroid_lat"], row["centroid_lon"], "UA")


def check_other_row(row: dict[str, str]) -> list[str]:
    """A local or regional government of another country: its country from the reference
    data, a kind, a code that begins with the country, names in its own language and in Latin
    letters, and a point (required: it is how it appears on the map) inside the country."""
    problems = []
    country = row["country"].strip().upper()
    code = row["code"].strip().upper()
    if country not in OTHER_COUNTRIES:
        problems.append(
            _("country must be one of %(codes)s, not %(value)r")
            % {"codes": ", ".join(OTHER_COUNTRIES), "value": row["country"]}
        )
    if not OTHER_CODE.match(code):
        problems.append(
            _("code must be the country's ISO code and the official code (letters A-Z, digits)")
        )
    elif country in OTHER_COUNTRIES and not code.startswith(country):
        problems.append(
            _("code must begin with the country's ISO code %(country)s") % {"country": country}
        )
    if row["kind"].strip() not in OTHER_COUNTRY_KINDS:
        problems.append(
            _("kind must be %(kinds)s")
            % {"kinds": " or ".join(str(k) for k in OTHER_COUNTRY_KINDS)}
        )
    problems += require(row, "official_name", "name_latin")
    if row["name_latin"].strip() and not _latin(row["name_latin"]):
        problems.append(_("name_latin must be written in Latin letters"))
    problems += check_population(row["population"], row["population_date"])
    if not row["centroid_lat"].strip() or not row["centroid_lon"].strip():
        problems.append(_("centroid_lat and centroid_lon are needed for the map"))
    elif country in OTHER_COUNTRIES:
        problems += check_point(row["centroid_lat"], row["centroid_lon"], country)
    return problems


def _latin(text: str) -> bool:
    return all(ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in text if ch.isalpha())


def require(row: dict[str, str], *columns: str) -> list[str]:
    return [_("%(column)s is empty") % {"column": c} for c in columns if not row[c].strip()]


# The largest number the population column holds on every supported database (a PostgreSQL
# integer); a larger one would be a database error instead of a message.
LARGEST_POPULATION = 2**31 - 1


def check_population(population: str, when: str) -> list[str]:
    problems = []
    # ASCII digits only: "²" and "١٢" are digits to str.isdigit(), and "²" fails in int().
    if population.strip() and not re.fullmatch(r"[0-9]+", population.strip()):
        problems.append(
            _("population must be a whole number, not %(value)r") % {"value": population}
        )
    elif population.strip() and int(population) > LARGEST_POPULATION:
        problems.append(
            _("population must be at most %(largest)s") % {"largest": LARGEST_POPULATION}
        )
    if when.strip():
        try:
            date.fromisoformat(when.strip())
        except ValueError:
            problems.append(_("population_date must be a date (YYYY-MM-DD)"))
    elif population.strip():
        problems.append(_("population needs its population_date"))
    return problems


def check_point(lat: str, lon: str, country: str) -> list[str]:
    """A point (both or neither) inside the country's box (`countries.py`)."""
    if not lat.strip() and not lon.strip():
        return []
    try:
        la, lo = float(lat), float(lon)
    except ValueError:
        return [_("centroid_lat and centroid_lon must be numbers")]
    lat_range, lon_range = COUNTRIES[country].latitudes, COUNTRIES[country].longitudes
    if not (lat_range[0] <= la <= lat_range[1] and lon_range[0] <= lo <= lon_range[1]):
        return [_("the point %(lat)s, %(lon)s lies outside the country") % {"lat": lat, "lon": lon}]
    return []
