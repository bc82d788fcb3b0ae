"""A small multilingual vocabulary of what municipalities ask for and offer.

Each topic lists markers: folded base forms (see `partnernet.lib.lemmas.keywords`) in Swedish,
English and Ukrainian. A profile "mentions" a topic when one of its keywords starts with a
marker, or contains a marker of five letters or more (Swedish compounds: dricks*vatten*). The
topics let the engine say, in the reader's language, what one side offers that the other asks
for, across languages ("Falun offers waste management, which Kolomyia asks for"). Pure: no
database access.
"""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from partnernet.lib.lemmas import keywords, keywords_any_language

TOPICS: dict[str, tuple[object, tuple[str, ...]]] = {
    "water": (
        _("water supply and water management"),
        ("vatten", "water", "voda", "vodnyi", "vodopost", "vodovid", "vodokanal"),
    ),
    "waste": (
        _("waste management"),
        ("avfall", "atervinn", "sopor", "wast", "recycl", "vidkhod", "smittia"),
    ),
    "crisis": (
        _("crisis preparedness"),
        ("kris", "beredskap", "crisi", "prepared", "resili", "kryz", "hotovnist", "stiikist"),
    ),
    "education": (
        _("education and schools"),
        (
            "skol",
            "utbildning",
            "undervisn",
            "larar",
            "pedagog",
            "educ",
            "school",
            "teach",
            "osvit",
            "shkol",
            "navchann",
            "vchytel",
        ),
    ),
    "urban_planning": (
        _("urban planning"),
        ("stadsplan", "samhallsplan", "stadsutveckl", "urban", "mistobud", "prostorov"),
    ),
    "digital": (
        _("digital services and participation"),
        ("digital", "digit", "tsyfrov", "e-tjanst"),
    ),
    "participation": (
        _("citizen participation and democracy"),
        (
            "delakt",
            "demokrat",
            "medborgar",
            "particip",
            "democr",
            "citizen",
            "uchast",
            "demokratiia",
            "hromadian",
            "zaluchenn",
        ),
    ),
    "gender": (_("gender equality"), ("jamstalld", "gender", "hendern")),
    "youth": (_("young people"), ("ungdom", "youth", "young", "molod")),
    "environment": (
        _("environment and climate"),
        ("miljo", "klim", "environ", "climat", "dovkill", "klimat", "ekolog"),
    ),
    "energy": (_("energy"), ("energi", "enerh")),
    "governance": (
        _("inclusive leadership and governance"),
        (
            "ledarskap",
            "styrning",
            "beslutsfat",
            "inkluder",
            "leadership",
            "govern",
            "inclus",
            "decis",
            "liderstv",
            "vriaduv",
            "inkliuz",
            "rishenn",
        ),
    ),
    "eu": (_("the path to the EU"), ("eu", "europ", "yes", "yevrop", "intehrats")),
    "economy": (
        _("local economy and business"),
        ("ekonomi", "naringsliv", "foretag", "economi", "busi", "ekonomik", "biznes", "pidpryiem"),
    ),
    "social": (
        _("health and social care"),
        ("omsorg", "halsa", "health", "social", "zdorov", "sotsialn"),
    ),
    "communication": (
        _("communication with residents"),
        ("kommunikation", "communic", "komunikats"),
    ),
}


def label(code: str) -> str:
    """The topic's name in the active language."""
    return str(TOPICS[code][0]) if code in TOPICS else code


def _mentions(key: str, marker: str) -> bool:
    return key.startswith(marker) or (len(marker) >= 5 and marker in key)


def detect(keys: Iterable[str]) -> set[str]:
    """The topics a set of keywords mentions."""
    keys = list(keys)
    return {
        code
        for code, (_label, markers) in TOPICS.items()
        if any(_mentions(k, m) for k in keys for m in markers)
    }


def profile_keywords(texts: dict[str, str], priorities: str = "") -> set[str]:
    """Keywords of every language version of a profile, plus its priorities in any language."""
    keys: set[str] = set()
    for language, text in texts.items():
        if text:
            keys.update(keywords(text, language))
    if priorities:
        keys.update(keywords_any(priorities))
    return keys


def keywords_any(text: str) -> set[str]:
    return set(keywords_any_language(text))
