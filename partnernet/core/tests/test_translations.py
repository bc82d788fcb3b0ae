"""Every catalogue as GNU gettext and Django read it: complete headers, every plural form of
the language, nothing fuzzy or empty, and /uk/ pages in Ukrainian plurals (never a fallback to
the Swedish catalogue). The plural rules are written out here, not read from the catalogues."""

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("**/locale/*/LC_MESSAGES/*.po"))
IDS = [str(p.relative_to(ROOT)) for p in CATALOGUES]
EXPECTED_PLURALS = {
    "sv": ("nplurals=2", 2),
    "uk": ("nplurals=3", 3),
}


def swedish_form(n: int) -> int:
    return 0 if n == 1 else 1


def ukrainian_form(n: int) -> int:
    """One (1, 21, 101), few (2–4, 22–24), many (0, 5–20, 25–30, 111…)."""
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


RULES = {"sv": swedish_form, "uk": ukrainian_form}
SAMPLES = [0, 1, 2, 3, 4, 5, 6, 11, 12, 14, 15, 20, 21, 22, 25, 101, 111, 112, 1001]


def language_of(path: Path) -> str:
    return path.parent.parent.name


def test_there_are_swedish_and_ukrainian_catalogues_for_every_app_with_strings():
    languages = {language_of(p) for p in CATALOGUES}
    assert languages == {"sv", "uk"}
    folders = {p.parents[2] for p in CATALOGUES}
    for folder in folders:
        assert {language_of(p) for p in CATALOGUES if p.parents[2] == folder} == {"sv", "uk"}


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_the_header_names_the_language_and_its_plural_forms(path):
    language = language_of(path)
    catalogue = polib.pofile(str(path))
    assert not catalogue.metadata_is_fuzzy, "a fuzzy header is ignored by msgfmt"
    metadata = catalogue.metadata
    assert metadata["Language"] == language
    assert metadata["Content-Type"] == "text/plain; charset=UTF-8"
    plural_forms = metadata["Plural-Forms"].replace(" ", "")
    expected, count = EXPECTED_PLURALS[language]
    assert plural_forms.startswith(expected + ";"), plural_forms
    # The formula in the header gives the same form as the rule written above.
    formula = re.search(r"plural=(.*);?$", plural_forms).group(1).rstrip(";")
    for n in SAMPLES:
        assert _c_ternary(formula, n) == RULES[language](n), (path, n)
        assert 0 <= RULES[language](n) < count


def _c_ternary(formula: str, n: int) -> int:
    """Evaluate a gettext plural formula the way gettext does (C syntax, via Python's gettext)."""
    import gettext

    return gettext.c2py(formula)(n)


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_nothing_is_fuzzy_empty_or_obsolete_and_every_plural_has_all_its_forms(path):
    language = language_of(path)
    catalogue = polib.pofile(str(path))
    _expected, count = EXPECTED_PLURALS[language]
    assert not catalogue.fuzzy_entries(), [e.msgid for e in catalogue.fuzzy_entries()][:5]
    assert not catalogue.untranslated_entries(), [
        e.msgid for e in catalogue.untranslated_entries()
    ][:5]
    assert not catalogue.obsolete_entries()
    for entry in catalogue:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == list(range(count)), entry.msgid
            assert all(form.strip() for form in entry.msgstr_plural.values()), entry.msgid
        else:
            assert entry.msgstr.strip(), entry.msgid


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_the_compiled_catalogue_holds_every_translation(path):
    catalogue = polib.pofile(str(path))
    compiled = polib.mofile(str(path.with_suffix(".mo")))
    assert {e.msgid for e in compiled} >= {e.msgid for e in catalogue.translated_entries()}


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext is not installed")
@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_gnu_msgfmt_checks_the_catalogue_without_a_word(path):
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and not result.stderr, result.stderr


def plural_entries(language: str):
    for path in CATALOGUES:
        if language_of(path) == language:
            yield from (e for e in polib.pofile(str(path)) if e.msgid_plural)


def test_django_picks_the_right_ukrainian_form_for_every_count_and_never_the_swedish_one():
    entries = list(plural_entries("uk"))
    swedish = {(e.msgctxt, e.msgid): e for e in plural_entries("sv")}
    assert len(entries) >= 5  # the check below must have something to check
    checked = 0
    for entry in entries:
        for n in SAMPLES:
            with translation.override("uk"):
                if entry.msgctxt:
                    shown = translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                else:
                    shown = translation.ngettext(entry.msgid, entry.msgid_plural, n)
            assert shown == entry.msgstr_plural[ukrainian_form(n)], (entry.msgid, n, shown)
            sv = swedish.get((entry.msgctxt, entry.msgid))
            assert sv is None or shown not in sv.msgstr_plural.values(), (entry.msgid, n)
            checked += 1
    assert checked == len(entries) * len(SAMPLES)


@pytest.mark.django_db
def test_pages_are_served_in_the_language_of_their_address():
    client = Client()
    assert "Hoppa till innehållet" in client.get("/sv/").content.decode()
    assert "Перейти до вмісту" in client.get("/uk/").content.decode()
    assert "Skip to content" in client.get("/en/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Херсон", "Kalush", "ка"])
def test_a_ukrainian_results_page_counts_in_ukrainian(query):
    page = Client().get("/uk/municipalities/", {"q": query}).content.decode()
    found = re.search(r'<p role="status">([^<]*)</p>', page).group(1)
    count = int(re.search(r"\d+", found).group())
    word = ["муніципалітет", "муніципалітети", "муніципалітетів"][ukrainian_form(count)]
    assert found.strip() == f"Знайдено {count} {word}"
    assert "hittades" not in page


@pytest.mark.django_db
def test_a_ukrainian_page_with_many_results_uses_the_many_form():
    """Before the catalogues had three forms, this count fell back to Swedish."""
    page = Client().get("/uk/municipalities/", {"q": "ка"}).content.decode()
    found = re.search(r'<p role="status">([^<]*)</p>', page).group(1)
    count = int(re.search(r"\d+", found).group())
    assert ukrainian_form(count) == 2, count
    assert found.strip() == f"Знайдено {count} муніципалітетів"
