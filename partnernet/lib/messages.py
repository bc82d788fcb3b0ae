"""`make messages`: extract interface strings per app (GNU gettext) and compile every catalogue.

Each app keeps its own `locale/` so apps can be translated independently; the project-wide
templates (base.html) live in `partnernet/locale`. Compilation uses polib (pure Python), so the
committed `.mo` files can be rebuilt without gettext; extraction needs `xgettext`.

    python -m partnernet.lib.messages            # extract + compile
    python -m partnernet.lib.messages --compile  # compile only
    python -m partnernet.lib.messages --missing  # list untranslated entries
    python -m partnernet.lib.messages --app grants  # extract one app only (creates its locale/)
    python -m partnernet.lib.messages --fill F.json  # {"sv": {msgid: msgstr or [plurals]}, "uk": …}

Every catalogue gets the same header (`HEADERS`, `PLURAL_FORMS`): makemessages copies Django's
own Ukrainian header (four forms, the fourth for fractions) and leaves the rest as template
text, which GNU gettext's `msgfmt --check` (run by `make lint`) rejects or warns about. Ukrainian
has three plural forms (one, few, many: 1 партнерство, 2 партнерства, 5 партнерств); an entry
with a form missing would fall back to the Swedish catalogue on /uk/ pages, so every plural entry
carries exactly `nplurals` forms and a missing one is listed as untranslated.
"""

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("sv", "uk")
IGNORE = ["tests/*", "migrations/*", "data/*", "static/*"]
PLURAL_FORMS = {
    "sv": "nplurals=2; plural=(n != 1);",
    "uk": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
        "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    ),
}
LANGUAGE_TEAMS = {"sv": "Swedish", "uk": "Ukrainian"}
HEADERS = {
    "Project-Id-Version": "Partnernet",
    "Report-Msgid-Bugs-To": "",
    "Last-Translator": "Partnernet translators <translations@partnernet.invalid>",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
}


def catalogue_dirs() -> list[Path]:
    """The project locale (for templates/ and lib/) and every app that has its own locale/."""
    return [ROOT] + sorted(p.parent for p in ROOT.glob("*/locale") if p.parent != ROOT)


def extract(directory: Path) -> None:
    (directory / "locale").mkdir(exist_ok=True)
    ignore = [f"--ignore={pattern}" for pattern in IGNORE]
    if directory == ROOT:
        ignore += [f"--ignore={p.parent.name}/*" for p in ROOT.glob("*/locale") if p.parent != ROOT]
    languages = [f"--locale={lang}" for lang in LANGUAGES]
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="partnernet.settings")
    for domain in ("django", "djangojs"):
        extensions = ["-e", "html,txt,py"] if domain == "django" else ["-e", "js"]
        command = [
            str(Path(sys.executable).with_name("partnernet")),
            "makemessages",
            "--no-obsolete",
            "--no-location",
            "-d",
            domain,
            *extensions,
            *languages,
            *ignore,
        ]
        subprocess.run(command, cwd=directory, env=env, check=True, capture_output=True)


def catalogue_paths() -> list[Path]:
    return sorted(ROOT.glob("**/locale/*/LC_MESSAGES/*.po"))


def nplurals(language: str) -> int:
    return int(PLURAL_FORMS[language].split(";")[0].split("=")[1])


def normalise(catalogue: polib.POFile, language: str) -> bool:
    """One header for every catalogue of `language` and exactly `nplurals` forms per plural
    entry (extra forms dropped, missing ones left empty); True when anything changed."""
    before = str(catalogue)
    metadata = catalogue.metadata
    metadata.update(HEADERS)
    metadata["Language"] = language
    metadata["Language-Team"] = LANGUAGE_TEAMS[language]
    metadata["Plural-Forms"] = PLURAL_FORMS[language]
    if metadata.get("PO-Revision-Date", "YEAR").startswith("YEAR"):
        metadata["PO-Revision-Date"] = metadata.get("POT-Creation-Date", "")
    catalogue.metadata_is_fuzzy = False
    catalogue.header = "Interface translations of Partnernet."
    count = nplurals(language)
    for entry in catalogue:
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            entry.msgstr_plural = {i: forms.get(i, "") for i in range(count)}
        if "fuzzy" not in entry.flags:  # a note of an earlier msgid means nothing without it
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    return str(catalogue) != before


def normalise_all() -> None:
    for po_path in catalogue_paths():
        catalogue = polib.pofile(str(po_path))
        if normalise(catalogue, po_path.parent.parent.name):
            catalogue.save()


def compile_all() -> None:
    normalise_all()
    for po_path in catalogue_paths():
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))


def missing() -> list[str]:
    problems = []
    for po_path in catalogue_paths():
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries():
            problems.append(f"{po_path.relative_to(ROOT.parent)}: {entry.msgid!r}")
    return problems


def fill(mapping: dict[str, dict[str, str | list[str]]]) -> int:
    """Fill empty msgstrs in every catalogue from `mapping`; returns how many were filled."""
    filled = 0
    normalise_all()
    for po_path in catalogue_paths():
        language = po_path.parent.parent.name
        catalogue = polib.pofile(str(po_path))
        before = filled
        for entry in catalogue:
            value = mapping.get(language, {}).get(entry.msgid)
            if value is None or (entry.translated() and "fuzzy" not in entry.flags):
                continue
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                entry.msgstr_plural = {
                    i: forms[min(i, len(forms) - 1)] for i in range(nplurals(language))
                }
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
        if filled > before:  # re-saving an untouched catalogue would only re-wrap its lines
            catalogue.save()
    return filled


def main(argv: list[str]) -> int:
    if "--fill" in argv:
        import json

        mapping = json.loads(Path(argv[argv.index("--fill") + 1]).read_text("utf-8"))
        print(f"filled {fill(mapping)} entries")
        compile_all()
        return 0
    if "--missing" in argv:
        print("\n".join(missing()) or "every string is translated")
        return 0
    if "--app" in argv:
        extract(ROOT / argv[argv.index("--app") + 1])
    elif "--compile" not in argv:
        for directory in catalogue_dirs():
            extract(directory)
    compile_all()
    gaps = missing()
    print(f"{len(gaps)} untranslated strings" + (":\n" + "\n".join(gaps) if gaps else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
