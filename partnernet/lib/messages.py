"""`make messages`: extract interface strings per app (GNU gettext) and compile every catalogue.

Each app keeps its own `locale/` so apps can be translated independently; the project-wide
templates (base.html) live in `partnernet/locale`. Compilation uses polib (pure Python), so the
committed `.mo` files can be rebuilt without gettext; extraction needs `xgettext`.

    python -m partnernet.lib.messages            # extract + compile
    python -m partnernet.lib.messages --compile  # compile only
    python -m partnernet.lib.messages --missing  # list untranslated entries
    python -m partnernet.lib.messages --app grants  # extract one app only (creates its locale/)
    python -m partnernet.lib.messages --fill F.json  # {"sv": {msgid: msgstr or [plurals]}, "uk": …}
"""

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("sv", "uk")
IGNORE = ["tests/*", "migrations/*", "data/*", "static/*"]


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


def compile_all() -> None:
    for po_path in ROOT.glob("**/locale/*/LC_MESSAGES/*.po"):
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))


def missing() -> list[str]:
    problems = []
    for po_path in sorted(ROOT.glob("**/locale/*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries():
            problems.append(f"{po_path.relative_to(ROOT.parent)}: {entry.msgid!r}")
    return problems


def fill(mapping: dict[str, dict[str, str | list[str]]]) -> int:
    """Fill empty msgstrs in every catalogue from `mapping`; returns how many were filled."""
    filled = 0
    for po_path in ROOT.glob("**/locale/*/LC_MESSAGES/*.po"):
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
                    i: forms[min(i, len(forms) - 1)] for i in range(len(entry.msgstr_plural) or 2)
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
