import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from partnernet.municipalities.models import Municipality
from partnernet.municipalities.services import DATA_DIR, ImportRejected, municipalities_import

SE_HEADER = (
    "kommunkod,name,county_code,county_name,population,population_date,centroid_lat,centroid_lon"
)
FALUN = "2080,Falun,20,Dalarnas län,57685,2016-12-31,60.6,15.6"


@pytest.fixture(autouse=True)
def english():
    """The messages below are matched in English; the default language is Swedish."""
    with translation.override("en"):
        yield


def se_csv(*rows: str) -> bytes:
    return ("\n".join([SE_HEADER, *rows]) + "\n").encode()


@pytest.mark.django_db
def test_the_registry_holds_every_kommun_and_hromada_plus_kyiv():
    assert Municipality.objects.filter(country="SE").count() == 290
    assert Municipality.objects.filter(country="UA").exclude(kind="special_city").count() == 1469
    assert Municipality.objects.get(code="UA80000000000093317").name_en == "Kyiv"


@pytest.mark.django_db
def test_reimporting_the_registry_updates_and_never_duplicates():
    before = Municipality.objects.count()
    result = municipalities_import(data=(DATA_DIR / "se_municipalities.csv").read_bytes())
    assert (result.created, result.updated) == (0, 290)
    assert Municipality.objects.count() == before


@pytest.mark.django_db
def test_a_changed_row_is_updated_in_place():
    municipalities_import(data=se_csv("2080,Falun,20,Dalarnas län,60000,2023-12-31,60.6,15.6"))
    falun = Municipality.objects.get(code="2080")
    assert falun.population == 60000 and str(falun.population_date) == "2023-12-31"


@pytest.mark.django_db
def test_one_bad_row_names_its_line_and_changes_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        se_csv(
            "2080,Falun,20,Dalarnas län,99,2023-12-31,60.6,15.6",
            "20X1,Borlänge,20,Dalarnas län,,,,",
        )
    )
    before = Municipality.objects.get(code="2080").population
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_municipalities", str(path), stderr=stderr)
    assert "Line 3" in stderr.getvalue() and "kommunkod" in stderr.getvalue()
    assert Municipality.objects.get(code="2080").population == before


def test_the_command_exits_with_status_1_on_a_bad_row(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "bad.csv"
    path.write_bytes(se_csv(FALUN, "2081,Borlänge,20,Dalarnas län,many,2016-12-31,60.4,15.4"))
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "partnernet", "migrate", "-v0"], env=env, check=True)
    result = subprocess.run(
        [sys.executable, "-m", "partnernet", "import_municipalities", str(path)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Line 3" in result.stderr and "population" in result.stderr


@pytest.mark.django_db
def test_every_error_is_listed_not_only_the_first():
    with pytest.raises(ImportRejected) as rejected:
        municipalities_import(
            data=se_csv("1,Falun,20,x,,,,", "2080,,20,x,,,,", "2080,Falun,20,x,,,,")
        )
    lines = " ".join(rejected.value.errors)
    assert "Line 2" in lines and "Line 3" in lines and "Line 4" in lines


BAD_VALUES = {
    "kommunkod": st.sampled_from(["", "208", "20800", "abcd", "20 8"]),
    "population": st.sampled_from(["-1", "x", "1.5", "1e3"]),
    "population_date": st.sampled_from(["2016-13-01", "yesterday", "31/12/2016"]),
    "centroid_lat": st.sampled_from(["north", "91", "-60"]),
    "name": st.just(""),
}


@pytest.mark.reaches(
    *(f"bad {column}" for column in BAD_VALUES), "first line spoiled", "last line spoiled"
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(column=st.sampled_from(sorted(BAD_VALUES)), data=st.data(), position=st.integers(0, 3))
@pytest.mark.django_db
def test_generated_bad_rows_are_rejected_with_their_line_and_nothing_is_written(
    column, data, position
):
    good = list(
        csv.DictReader(io.StringIO((DATA_DIR / "se_municipalities.csv").read_text("utf-8")))
    )[:4]
    rows = [dict(r, population="1") for r in good]
    rows[position][column] = data.draw(BAD_VALUES[column])
    event(f"bad {column}")
    if position in (0, len(rows) - 1):
        event("first line spoiled" if position == 0 else "last line spoiled")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    with pytest.raises(ImportRejected) as rejected:
        municipalities_import(data=out.getvalue().encode())
    assert any(f"Line {position + 2}:" in e for e in rejected.value.errors)
    assert not Municipality.objects.filter(population=1).exists()


@pytest.mark.django_db
def test_a_file_in_neither_format_is_refused():
    with pytest.raises(ImportRejected, match="header"):
        municipalities_import(data=b"a,b\n1,2\n")
    with pytest.raises(ImportRejected, match="UTF-8"):
        municipalities_import(data=SE_HEADER.encode() + b"\n\xff\xfe")
