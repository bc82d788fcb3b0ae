"""Display names and spellings for the registry: pure functions of a source row.

An urban hromada is known by its centre ("Kolomyia", not "Kolomyiska"); Swedish uses its
established exonyms (Cherson, Charkiv, Odessa); Ukrainian names of Swedish municipalities
are given only where an established Ukrainian form exists, otherwise the Swedish one is used.
"""

from partnernet.lib.text import fold, loose

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
# Other spellings people type for the same places (English press, older transliterations).
EXTRA_SPELLINGS = {
    "Kyiv": ["Kiev", "Kijev", "Киев"],
    "Odesa": ["Odessa"],
    "Kharkiv": ["Kharkov"],
    "Kolomyia": ["Kolomyja", "Kolomea"],
    "Kherson": ["Cherson", "Kerson"],
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
    alts += EXTRA_SPELLINGS.get(centre_latin, []) + [SWEDISH_EXONYMS.get(centre_latin, "")]
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
    return {
        "name_sv": name,
        "name_en": name,
        "name_uk": uk,
        "official_name": name,
        "name_latin": name,
        "alt_names": uk if uk != name else "",
    }


def search_text(*names: str) -> str:
    """`|name|name|` of every folded and loose spelling: matched with LIKE on every database."""
    keys = {key for n in names if n for key in (fold(n), loose(n)) if key}
    return "|" + "|".join(sorted(keys)) + "|"
