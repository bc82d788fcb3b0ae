"""Display names and spellings for the registry: pure functions of a source row.

An urban hromada is known by its centre ("Kolomyia", not "Kolomyiska"); Swedish uses its
established exonyms (Cherson, Charkiv, Odessa); Ukrainian names of Swedish municipalities
are given only where an established Ukrainian form exists, otherwise the Swedish one is used.
An oblast is named by its noun form in English and Swedish ("Ivano-Frankivsk Oblast",
"Ivano-Frankivsk oblast"), never by the adjective the codifier's Latin column holds.

`display_name(obj, language)` is the one rule for showing a registry name in a language.
Other names people use for a place (exonyms, historical names) are the table
`data/place_names.csv`, with a source for each (`other_spellings`).
"""

import csv
from pathlib import Path

from partnernet.lib.languages import best_text
from partnernet.lib.text import fold, loose

PLACE_NAMES_FILE = Path(__file__).resolve().parent.parent / "data" / "place_names.csv"

# Established Swedish exonyms (Swedish Wikipedia article titles) keyed by the 2010 Latin form.
SWEDISH_EXONYMS = {
    "Kherson": "Cherson",
    "Kharkiv": "Charkiv",
    "Odesa": "Odessa",
    "Mykolaiv": "Mykolajiv",
    "Zaporizhzhia": "Zaporizjzja",
    "Chernihiv": "Tjernihiv",
    "Chernivtsi": "Tjernivtsi",
}


def _place_names() -> dict[str, list[tuple[str, str]]]:
    with PLACE_NAMES_FILE.open(encoding="utf-8", newline="") as handle:
        table: dict[str, list[tuple[str, str]]] = {}
        for row in csv.DictReader(handle):
            table.setdefault(row["name"], []).append((row["code"], row["spelling"]))
    return table


# Other names people type for the same places (exonyms, historical names), by the registry's
# Latin or Swedish name of the place, and its code where two places share the name (the city
# of Mykolaiv, not the town in Lviv oblast): read once from the bundled table.
PLACE_NAMES = _place_names()


def other_spellings(name: str, code: str = "") -> list[str]:
    """Exonyms and historical names of a place ("Lviv" → Lemberg, Lwów, …), from the table;
    a spelling given for one code only is that place's alone."""
    return [spelling for only, spelling in PLACE_NAMES.get(name, ()) if not only or only == code]


# The noun form of each oblast (English Wikipedia article titles without " Oblast"), keyed by
# the codifier's Latin adjective; the centre's name where the oblast is named after it.
OBLAST_NOUNS = {
    "Cherkaska": "Cherkasy",
    "Chernihivska": "Chernihiv",
    "Chernivetska": "Chernivtsi",
    "Dnipropetrovska": "Dnipropetrovsk",
    "Donetska": "Donetsk",
    "Ivano-Frankivska": "Ivano-Frankivsk",
    "Kharkivska": "Kharkiv",
    "Khersonska": "Kherson",
    "Khmelnytska": "Khmelnytskyi",
    "Kirovohradska": "Kirovohrad",
    "Kyivska": "Kyiv",
    "Luhanska": "Luhansk",
    "Lvivska": "Lviv",
    "Mykolaivska": "Mykolaiv",
    "Odeska": "Odesa",
    "Poltavska": "Poltava",
    "Rivnenska": "Rivne",
    "Sumska": "Sumy",
    "Ternopilska": "Ternopil",
    "Vinnytska": "Vinnytsia",
    "Volynska": "Volyn",
    "Zakarpatska": "Zakarpattia",
    "Zaporizka": "Zaporizhzhia",
    "Zhytomyrska": "Zhytomyr",
}
# Established Ukrainian names of Swedish municipalities (Ukrainian Wikipedia article titles).
UKRAINIAN_NAMES_OF_SWEDISH = {
    "Stockholm": "Стокгольм",
    "Göteborg": "Гетеборг",
    "Malmö": "Мальме",
    "Uppsala": "Уппсала",
    "Falun": "Фалун",
    "Karlskrona": "Карлскруна",
    "Lidingö": "Лідінге",
    "Ronneby": "Роннебю",
    "Umeå": "Умео",
    "Växjö": "Векше",
}
TYPE_UK = {"urban": "міська", "settlement": "селищна", "rural": "сільська"}


def hromada_names(row: dict[str, str]) -> dict[str, str]:
    centre_latin = row["admin_centre_name_latin"]
    urban = row["hromada_type"] == "urban"
    official = f"{row['name_uk']} {TYPE_UK[row['hromada_type']]} територіальна громада"
    en = centre_latin if urban else f"{centre_latin} hromada"
    uk = row["admin_centre_name_uk"] if urban else f"{row['name_uk']} громада"
    sv = SWEDISH_EXONYMS.get(centre_latin, centre_latin) if urban else en
    alts = [row["name_uk"], row["name_latin"], row["admin_centre_name_uk"], centre_latin]
    alts += other_spellings(centre_latin, row.get("katottg", ""))
    alts.append(SWEDISH_EXONYMS.get(centre_latin, ""))
    return {
        "name_sv": sv,
        "name_en": en,
        "name_uk": uk,
        "official_name": official,
        "name_latin": row["name_latin"],
        "alt_names": "\n".join(dict.fromkeys(a for a in alts if a)),
    }


def kommun_names(row: dict[str, str]) -> dict[str, str]:
    name = row["name"]
    uk = UKRAINIAN_NAMES_OF_SWEDISH.get(name, name)
    alts = ([uk] if uk != name else []) + other_spellings(name)
    return {
        "name_sv": name,
        "name_en": name,
        "name_uk": uk,
        "official_name": name,
        "name_latin": name,
        "alt_names": "\n".join(alts),
    }


def oblast_names(name_uk: str, name_latin: str) -> dict[str, str]:
    """Names of an oblast from the codifier's adjectives ("Івано-Франківська",
    "Ivano-Frankivska"): the territory's names in each language and its Latin form."""
    noun = OBLAST_NOUNS.get(name_latin, name_latin)
    return {
        "name_uk": f"{name_uk} область",
        "name_en": f"{noun} Oblast",
        "name_sv": f"{SWEDISH_EXONYMS.get(noun, noun)} oblast",
        "name_latin": f"{name_latin} oblast",
    }


def oblast_government_names(name_uk: str, name_latin: str) -> dict[str, str]:
    """The oblast as a partner: the territory's names, its official name in Ukrainian and
    every spelling (the adjective, the noun, the centre's other names)."""
    names = oblast_names(name_uk, name_latin)
    noun = OBLAST_NOUNS.get(name_latin, name_latin)
    alts = [names["name_latin"], f"{noun} oblast", f"{noun} region", f"{name_uk} область"]
    return {
        **names,
        "official_name": names["name_uk"],
        "alt_names": "\n".join(dict.fromkeys(alts)),
    }


def region_government_names(name: str) -> dict[str, str]:
    """A Swedish region ("Region Västerbotten"): the same name in every language (no
    established Ukrainian forms), the county's name form as another spelling."""
    return {
        "name_sv": name,
        "name_en": name,
        "name_uk": name,
        "official_name": name,
        "name_latin": name,
        "alt_names": "",
    }


def display_name(obj: object, language: str) -> str:
    """A registry name (municipality, region, country) in `language`: its name in that
    language, else in the fallback order of `lib.languages`, else the stored display name."""
    return best_text(obj, "name", language)[0] or str(obj)


def search_text(*names: str) -> str:
    """`|name|name|` of every folded and loose spelling: matched with LIKE on every database."""
    keys = {key for n in names if n for key in (fold(n), loose(n)) if key}
    return "|" + "|".join(sorted(keys)) + "|"
