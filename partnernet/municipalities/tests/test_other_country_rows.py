"""The other countries' format of the registry import (the same rule the officer's form
uses): one local or regional government per row, every problem with its line, nothing written
on any error. Expected messages are written by hand."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from partnernet.municipalities.models import Municipality
from partnernet.municipalities.rows import OTHER_COLUMNS, check_other_row, parse_registry_csv

BATUMI = {
    "code": "GE15001",
    "country": "GE",
    "kind": "local",
    "official_name": "ბათუმის მუნიციპალიტეტი",
    "name_latin": "Batumi",
    "name_sv": "",
    "name_en": "",
    "name_uk": "Батумі",
    "population": "",
    "population_date": "",
    "centroid_lat": "41.64",
    "centroid_lon": "41.63",
}
ORHEI_RAION = {
    **BATUMI,
    "code": "MD6400000",
    "country": "MD",
    "kind": "region",
    "official_name": "Raionul Orhei",
    "name_latin": "Orhei",
    "name_uk": "",
    "centroid_lat": "47.38",
    "centroid_lon": "28.82",
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def table(*rows: dict) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=OTHER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_a_good_row_has_no_problem():
    assert check_other_row(BATUMI) == []
    assert check_other_row(ORHEI_RAION) == []
    assert parse_registry_csv(table(BATUMI, ORHEI_RAION)).kind == "other"


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        (
            {"country": "NO"},
            ["country must be one of MD, GE, AL, BA, ME, MK, RS, XK, not 'NO'"],
        ),
        (
            {"country": "UA", "code": "UA15001"},  # Ukraine comes from its own registry
            ["country must be one of MD, GE, AL, BA, ME, MK, RS, XK, not 'UA'"],
        ),
        ({"code": "MD15001"}, ["code must begin with the country's ISO code GE"]),
        (
            {"code": "GE 15001"},
            ["code must be the country's ISO code and the official code (letters A-Z, digits)"],
        ),
        ({"kind": "oblast"}, ["kind must be local or region"]),
        ({"name_latin": "ბათუმი"}, ["name_latin must be written in Latin letters"]),
        ({"official_name": " "}, ["official_name is empty"]),
        (
            {"centroid_lat": "", "centroid_lon": ""},
            ["centroid_lat and centroid_lon are needed for the map"],
        ),
        (
            {"centroid_lat": "47.0", "centroid_lon": "28.8"},  # Chișinău: not in Georgia
            ["the point 47.0, 28.8 lies outside the country"],
        ),
        (
            {"population": "½"},
            ["population must be a whole number, not '½'", "population needs its population_date"],
        ),
    ],
)
def test_each_bad_value_is_named(changes, problems):
    assert check_other_row({**BATUMI, **changes}) == problems


@pytest.mark.django_db
def test_the_import_command_adds_the_rows_or_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(table(BATUMI, {**ORHEI_RAION, "centroid_lat": "41.6"}, BATUMI))
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_municipalities", str(bad), stderr=stderr)
    assert "Line 3: the point 41.6, 28.82 lies outside the country" in stderr.getvalue()
    assert "Line 4: code GE15001 repeats line 2" in stderr.getvalue()
    assert not Municipality.objects.filter(country_id__in=["GE", "MD"]).exists()

    good = tmp_path / "good.csv"
    good.write_bytes(table(BATUMI, ORHEI_RAION))
    stdout = io.StringIO()
    call_command("import_municipalities", str(good), stdout=stdout)
    assert "2 created, 0 updated." in stdout.getvalue()
    batumi = Municipality.objects.get(code="GE15001")
    assert (batumi.name_en, batumi.name_uk, batumi.official_name) == (
        "Batumi",
        "Батумі",
        "ბათუმის მუნიციპალიტეტი",
    )
    assert Municipality.objects.get(code="MD6400000").kind == "region"
