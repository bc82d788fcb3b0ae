"""Validation of registry CSV files, row by row: every kind of bad row is reported with its
line, and a file with any error writes nothing. Expected messages are written by hand."""

import csv
import io

import pytest
from django.utils import translation
from hypothesis import event, given, settings
from hypothesis import strategies as st

from partnernet.municipalities.models import Municipality, Region
from partnernet.municipalities.rows import SE_COLUMNS, UA_COLUMNS, parse_registry_csv
from partnernet.municipalities.services import ImportRejected, municipalities_import

FALUN = {
    "kommunkod": "2080",
    "name": "Falun",
    "county_code": "20",
    "county_name": "Dalarnas län",
    "population": "57685",
    "population_date": "2016-12-31",
    "centroid_lat": "60.6",
    "centroid_lon": "15.6",
}
HROMADA = {
    "katottg": "UA05020030000031457",
    "name_uk": "Вінницька",
    "name_latin": "Vinnytska",
    "hromada_type": "urban",
    "hromada_type_uk": "міська",
    "oblast_katottg": "UA05000000000010236",
    "oblast_name_uk": "Вінницька",
    "oblast_name_latin": "Vinnytska",
    "raion_katottg": "UA05020000000026686",
    "raion_name_uk": "Вінницький",
    "raion_name_latin": "Vinnytskyi",
    "admin_centre_katottg": "UA05020030010063857",
    "admin_centre_name_uk": "Вінниця",
    "admin_centre_name_latin": "Vinnytsia",
    "admin_centre_category": "M",
    "settlements_count": "9",
    "codab_pcode": "UA0502003",
    "centroid_lat": "49.24",
    "centroid_lon": "28.56",
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def table(columns: list[str], *rows: dict) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def se(**changes) -> bytes:
    return table(SE_COLUMNS, {**FALUN, **changes})


def ua(**changes) -> bytes:
    return table(UA_COLUMNS, {**HROMADA, **changes})


def errors(data: bytes) -> list[str]:
    return parse_registry_csv(data).errors


def test_a_good_file_of_each_format_has_no_errors():
    assert parse_registry_csv(se()).kind == "se" and errors(se()) == []
    assert parse_registry_csv(ua()).kind == "ua" and errors(ua()) == []


def test_values_are_read_without_their_surrounding_spaces():
    parsed = parse_registry_csv(se(name="  Falun ", kommunkod=" 2080"))
    assert parsed.errors == []
    assert (parsed.rows[0]["name"], parsed.rows[0]["kommunkod"]) == ("Falun", "2080")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kommunkod": "208"}, "Line 2: kommunkod must be four digits, not '208'"),
        ({"kommunkod": "20800"}, "Line 2: kommunkod must be four digits, not '20800'"),
        ({"kommunkod": "20a0"}, "Line 2: kommunkod must be four digits, not '20a0'"),
        ({"county_code": "2"}, "Line 2: county_code must be two digits"),
        ({"county_code": "21"}, "Line 2: kommunkod does not start with its county_code"),
        ({"name": " "}, "Line 2: name is empty"),
        ({"county_name": ""}, "Line 2: county_name is empty"),
        ({"population": "-1"}, "Line 2: population must be a whole number, not '-1'"),
        ({"population": "1.5"}, "Line 2: population must be a whole number, not '1.5'"),
        ({"population": "²"}, "Line 2: population must be a whole number, not '²'"),
        ({"population": "١٢"}, "Line 2: population must be a whole number, not '١٢'"),
        ({"population_date": "2016-13-01"}, "Line 2: population_date must be a date (YYYY-MM-DD)"),
        ({"population_date": ""}, "Line 2: population needs its population_date"),
        ({"centroid_lat": "north"}, "Line 2: centroid_lat and centroid_lon must be numbers"),
        ({"centroid_lon": ""}, "Line 2: centroid_lat and centroid_lon must be numbers"),
        ({"centroid_lat": "50.1"}, "Line 2: the point 50.1, 15.6 lies outside the country"),
        ({"centroid_lon": "30"}, "Line 2: the point 60.6, 30 lies outside the country"),
        ({"centroid_lat": "nan"}, "Line 2: the point nan, 15.6 lies outside the country"),
        ({"name": "Fa\x00lun"}, "Line 2: contains a control character"),
    ],
)
def test_each_bad_swedish_value_is_named_with_its_line(change, message):
    assert errors(se(**change)) == [message]


def test_codes_in_other_scripts_digits_are_refused():
    assert errors(se(kommunkod="٢٠٨٠")) == [
        "Line 2: kommunkod must be four digits, not '٢٠٨٠'",
        "Line 2: kommunkod does not start with its county_code",
    ]
    assert errors(ua(katottg="UA" + "٠" * 17)) == ["Line 2: katottg must be UA and 17 digits"]


def test_a_row_without_population_or_place_is_allowed():
    assert errors(se(population="", population_date="", centroid_lat="", centroid_lon="")) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"katottg": "UA0502003000003145"}, "Line 2: katottg must be UA and 17 digits"),
        ({"katottg": "SE05020030000031457"}, "Line 2: katottg must be UA and 17 digits"),
        ({"oblast_katottg": "5000000000010236"}, "Line 2: oblast_katottg must be UA and 17 digits"),
        ({"raion_katottg": ""}, "Line 2: raion_katottg must be UA and 17 digits"),
        ({"hromada_type": "city"}, "Line 2: hromada_type must be urban, settlement or rural"),
        ({"hromada_type": "Urban"}, "Line 2: hromada_type must be urban, settlement or rural"),
        ({"name_uk": ""}, "Line 2: name_uk is empty"),
        ({"admin_centre_name_latin": " "}, "Line 2: admin_centre_name_latin is empty"),
        ({"centroid_lat": "59.3"}, "Line 2: the point 59.3, 28.56 lies outside the country"),
        ({"centroid_lon": "east"}, "Line 2: centroid_lat and centroid_lon must be numbers"),
    ],
)
def test_each_bad_ukrainian_value_is_named_with_its_line(change, message):
    assert errors(ua(**change)) == [message]


def test_a_row_with_several_faults_lists_each_of_them():
    assert errors(se(kommunkod="x", name="", population="many", centroid_lat="0")) == [
        "Line 2: kommunkod must be four digits, not 'x'",
        "Line 2: kommunkod does not start with its county_code",
        "Line 2: name is empty",
        "Line 2: population must be a whole number, not 'many'",
        "Line 2: the point 0, 15.6 lies outside the country",
    ]


def test_a_repeated_code_names_the_line_it_repeats():
    borlange = {**FALUN, "kommunkod": "2081", "name": "Borlänge"}
    data = table(SE_COLUMNS, FALUN, borlange, FALUN, {**borlange, "kommunkod": " 2081 "})
    assert errors(data) == [
        "Line 4: code 2080 repeats line 2",
        "Line 5: code 2081 repeats line 3",
    ]


def test_too_many_or_too_few_fields_are_named_before_anything_else():
    header = ",".join(SE_COLUMNS)
    good = ",".join(FALUN.values())
    data = f"{header}\n{good},extra\n{good.rsplit(',', 2)[0]}\n{good}\n".encode()
    # Line 4 repeats line 2's code; lines 2 and 3 are malformed.
    assert errors(data) == [
        "Line 2: too many fields",
        "Line 3: too few fields",
        "Line 3: code 2080 repeats line 2",
        "Line 4: code 2080 repeats line 2",
    ]


def test_a_header_with_extra_columns_is_still_recognised():
    data = table([*SE_COLUMNS, "comment"], {**FALUN, "comment": "ok"})
    assert parse_registry_csv(data).kind == "se" and errors(data) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Line 1: the header is neither the Swedish nor the Ukrainian format."),
        (b"a,b\n1,2\n", "Line 1: the header is neither the Swedish nor the Ukrainian format."),
        (
            ",".join(SE_COLUMNS[:-1]).encode() + b"\n",
            "Line 1: the header is neither the Swedish nor the Ukrainian format.",
        ),
        (",".join(SE_COLUMNS).encode() + b"\n", "The file has no rows."),
        (",".join(SE_COLUMNS).encode() + b"\n\xe4\n", "The file is not UTF-8 (byte 92)."),
        (b"\xff\xfe" + ",".join(SE_COLUMNS).encode("utf-16-le"), "The file is not UTF-8 (byte 0)."),
    ],
)
def test_a_file_that_is_not_a_registry_is_refused_as_a_whole(data, message):
    assert errors(data) == [message]


def test_a_byte_order_mark_is_allowed():
    assert errors(b"\xef\xbb\xbf" + se()) == []


def test_messages_are_translated():
    with translation.override("sv"):
        swedish = errors(se(name=""))
    with translation.override("uk"):
        ukrainian = errors(se(name=""))
    assert swedish != ["Line 2: name is empty"] and swedish[0].startswith("Rad 2")
    assert ukrainian != ["Line 2: name is empty"] and "2" in ukrainian[0]


@pytest.mark.django_db
def test_a_population_in_other_digits_is_refused_and_nothing_is_written():
    """Once an unhandled ValueError: '²' passed the check and failed in int()."""
    with pytest.raises(ImportRejected) as rejected:
        municipalities_import(data=se(population="²", kommunkod="2080"))
    assert rejected.value.errors == ["Line 2: population must be a whole number, not '²'"]
    assert Municipality.objects.get(code="2080").population != 2


@pytest.mark.django_db
def test_a_ukrainian_file_creates_its_oblast_raion_and_hromada():
    new = {
        **HROMADA,
        "katottg": "UA05020030000099999",
        "raion_katottg": "UA05020000000099999",
        "raion_name_uk": "Новий",
        "raion_name_latin": "Novyi",
    }
    result = municipalities_import(data=table(UA_COLUMNS, new))
    assert (result.kind, result.created, result.updated) == ("ua", 1, 0)
    hromada = Municipality.objects.get(code="UA05020030000099999")
    assert (hromada.name_en, hromada.name_uk, hromada.kind) == ("Vinnytsia", "Вінниця", "urban")
    raion = Region.objects.get(code="UA05020000000099999")
    assert (raion.level, raion.name_uk, raion.parent.code) == (
        2,
        "Новий район",
        "UA05000000000010236",
    )
    assert hromada.raion == raion and hromada.region.code == "UA05000000000010236"


GOOD_SE = st.fixed_dictionaries(
    {
        "kommunkod": st.integers(1, 99)
        .map(lambda c: f"{c:02d}")
        .flatmap(lambda county: st.integers(0, 99).map(lambda n: f"{county}{n:02d}")),
        "name": st.text(alphabet="abcdefghåäö -", min_size=1, max_size=20).filter(str.strip),
        "population": st.integers(0, 10**6).map(str) | st.just(""),
        "centroid_lat": st.floats(55.0, 69.5).map(lambda v: f"{v:.4f}"),
        "centroid_lon": st.floats(10.5, 24.5).map(lambda v: f"{v:.4f}"),
    }
)


@pytest.mark.reaches(
    "clean", "spoiled kommunkod", "spoiled population", "spoiled centroid_lat", "spoiled name"
)
@settings(max_examples=150, deadline=None)
@given(GOOD_SE, st.sampled_from(["", "kommunkod", "population", "centroid_lat", "name"]))
def test_a_generated_row_is_accepted_exactly_when_nothing_was_spoiled(row, spoil):
    values = {
        **FALUN,
        **row,
        "county_code": row["kommunkod"][:2],
        "population_date": "2020-12-31" if row["population"] else "",
    }
    spoiled = {"": None, "kommunkod": "1", "population": "1,5", "centroid_lat": "99", "name": ""}
    if spoil:
        values[spoil] = spoiled[spoil]
    found = errors(table(SE_COLUMNS, values))
    event(f"spoiled {spoil}" if spoil else "clean")
    if spoil:
        assert found and all(e.startswith("Line 2: ") for e in found)
    else:
        assert found == []
