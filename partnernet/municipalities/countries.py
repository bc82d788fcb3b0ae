"""The countries of the registry (reference data, `data/countries.csv`): their names in the three
languages and the box their points must lie in. Pure: read once from the bundled file.

Sweden and Ukraine come with their registries; the others (Moldova, Georgia, the Western
Balkans) are the countries whose local and regional governments an officer may add.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from .partners import SWEDEN, UKRAINE

COUNTRIES_FILE = Path(__file__).resolve().parent.parent / "data" / "countries.csv"


@dataclass(frozen=True)
class CountryInfo:
    code: str
    names: dict[str, str]  # language → name
    language: str  # BCP 47 code of the language official names are written in
    latitudes: tuple[float, float]
    longitudes: tuple[float, float]


def _read() -> dict[str, CountryInfo]:
    with COUNTRIES_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: CountryInfo(
                code=row["code"],
                names={lang: row[f"name_{lang}"] for lang in ("sv", "en", "uk")},
                language=row["language"],
                latitudes=(float(row["lat_min"]), float(row["lat_max"])),
                longitudes=(float(row["lon_min"]), float(row["lon_max"])),
            )
            for row in csv.DictReader(handle)
        }


COUNTRIES = _read()
# Countries whose governments are added one by one (by an officer or an "other" CSV file).
OTHER_COUNTRIES = tuple(code for code in COUNTRIES if code not in (SWEDEN, UKRAINE))
# Every official code of the registry: a kommunkod (4 digits), a Swedish region (`SE` and its
# county code), a KATOTTG code (`UA` and 17 digits), or another country's ISO code followed by
# its official code (letters and digits). No look-ahead: pydantic's regex engine has none.
_BODY = rf"\d{{4}}|SE\d{{2}}|UA\d{{17}}|(?:{'|'.join(OTHER_COUNTRIES)})[0-9A-Z]{{1,28}}"
CODE_PATTERN = rf"^({_BODY})$"
CODE_PATTERN_ANY_CASE = rf"(?i)^({_BODY})$"
COUNTRY_PATTERN = rf"^({'|'.join(COUNTRIES)})$"
