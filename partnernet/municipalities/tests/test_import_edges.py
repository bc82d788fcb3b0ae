"""The import's edges: the command's refusals, what a re-import keeps, countries and the
special-status cities."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from partnernet.municipalities.models import Country, Municipality, Region
from partnernet.municipalities.rows import SE_COLUMNS
from partnernet.municipalities.services import (
    countries_ensure,
    municipalities_import,
    special_cities_import,
)

HEADER = ",".join(SE_COLUMNS)


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("PARTNERNET_LANGUAGE", "en")  # the command speaks the terminal's
    with translation.override("en"):
        yield


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_municipalities", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_a_missing_file_is_named_in_the_refusal(tmp_path):
    with pytest.raises(CommandError, match="No such file or directory"):
        run(str(tmp_path / "nowhere.csv"))


@pytest.mark.django_db
def test_a_directory_is_refused_too(tmp_path):
    with pytest.raises(CommandError, match=str(tmp_path)):
        run(str(tmp_path))


@pytest.mark.django_db
def test_every_error_goes_to_stderr_with_the_file_and_the_count_to_the_refusal(tmp_path):
    path = tmp_path / "two-bad.csv"
    path.write_text(f"{HEADER}\n2080,,20,Dalarnas län,,,,\n21,Falun,20,x,,,,\n", "utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^3 error\(s\); nothing was imported\.$"):
        call_command("import_municipalities", str(path), stderr=err)
    assert err.getvalue().splitlines() == [
        f"{path}: Line 2: name is empty",
        f"{path}: Line 3: kommunkod must be four digits, not '21'",
        f"{path}: Line 3: kommunkod does not start with its county_code",
    ]


@pytest.mark.django_db
def test_the_command_reports_what_it_created_and_updated(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text(
        f"{HEADER}\n2080,Falun,20,Dalarnas län,,,,\n2099,Nyby,20,Dalarnas län,,,,\n", "utf-8"
    )
    out, err = run(str(path))
    assert out == f"{path}: 1 created, 1 updated.\n" and err == ""
    nyby = Municipality.objects.get(code="2099")
    assert (nyby.name_sv, nyby.name_uk, nyby.region.code, nyby.kind) == (
        "Nyby",
        "Nyby",  # no established Ukrainian form
        "SE20",
        "kommun",
    )


@pytest.mark.django_db
def test_the_command_speaks_swedish_in_a_swedish_terminal(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERNET_LANGUAGE", "sv")
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER}\n2080,,20,Dalarnas län,,,,\n", "utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_municipalities", str(path), stderr=err)
    assert "Line 2" not in err.getvalue() and "2" in err.getvalue()


@pytest.mark.django_db
def test_a_reimport_without_population_clears_it_and_keeps_the_row():
    falun = Municipality.objects.get(code="2080")
    assert falun.population
    municipalities_import(data=f"{HEADER}\n2080,Falun,20,Dalarnas län,,,,\n".encode())
    falun.refresh_from_db()
    assert falun.population is None and falun.latitude is None
    assert falun.pk == Municipality.objects.get(code="2080").pk


@pytest.mark.django_db
def test_a_renamed_county_is_renamed_not_duplicated():
    before = Region.objects.count()
    municipalities_import(data=f"{HEADER}\n2080,Falun,20,Dalarna,,,,\n".encode())
    assert Region.objects.count() == before
    assert Region.objects.get(code="SE20").name == "Dalarna"


@pytest.mark.django_db
def test_countries_are_named_in_every_language_and_never_duplicated():
    countries_ensure()
    countries_ensure()
    assert Country.objects.filter(code__in=["SE", "UA"]).count() == 2
    ukraine = Country.objects.get(code="UA")
    assert (ukraine.name_sv, ukraine.name_en, ukraine.name_uk) == ("Ukraina", "Ukraine", "Україна")


@pytest.mark.django_db
def test_kyiv_is_its_own_region_and_found_by_its_old_spellings():
    special_cities_import()  # again: an update
    kyiv = Municipality.objects.get(code="UA80000000000093317")
    assert kyiv.kind == "special_city" and kyiv.official_name == "місто Київ"
    assert kyiv.region.code == "UA80000000000093317" and kyiv.region.level == 1
    for spelling in ("kyiv", "kiv", "kiev", "kijev", "kyev"):
        assert f"|{spelling}|" in kyiv.search_text, spelling
    assert Municipality.objects.filter(code="UA80000000000093317").count() == 1
