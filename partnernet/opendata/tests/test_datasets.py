import csv
import io
import json

import frictionless
import pytest
from django.test import Client

from partnernet.opendata import datasets, metadata
from partnernet.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def fetch(path: str) -> bytes:
    response = Client().get(path)
    assert response.status_code == 200, path
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows(name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(fetch(f"/open-data/{name}.csv").decode("utf-8"))))


def test_every_csv_dataset_passes_frictionless_validation(tmp_path):
    for name in datasets.DATASETS:
        (tmp_path / f"{name}.csv").write_bytes(fetch(f"/open-data/{name}.csv"))
    (tmp_path / "datapackage.json").write_bytes(fetch("/open-data/datapackage.json"))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[
        :10
    ]
    assert len(report.tasks) == len(datasets.DATASETS)


@pytest.mark.parametrize("name", list(datasets.DATASETS))
def test_every_json_dataset_passes_frictionless_validation_with_the_same_schema(name):
    items = json.loads(fetch(f"/open-data/{name}.json"))
    schema = metadata.table_schema(datasets.DATASETS[name])
    header = [f["name"] for f in schema["fields"]]
    data = [header] + [[item[h] for h in header] for item in items]
    resource = frictionless.Resource(data=data, schema=frictionless.Schema.from_descriptor(schema))
    report = frictionless.validate(resource)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_partnerships_have_one_row_per_partnership_and_language():
    table = rows("partnerships")
    assert len(table) == 6 * 3
    umea = {r["language"]: r for r in table if r["id"] == "umea-kherson"}
    assert umea["uk"]["partner_name"] == "Херсон" and umea["sv"]["swedish_partner_code"] == "2480"


def test_downloads_are_streamed_utf8():
    response = Client().get("/open-data/municipalities.csv")
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(rows("municipalities")) == (290 + 1469 + 1 + 21 + 24) * 3  # with the regions


def test_unpublished_and_private_data_are_left_out():
    Partnership.objects.filter(slug="vaxjo-kalush").update(publication="withdrawn")
    Partnership.objects.filter(slug="umea-kherson").update(private_fields=["description"])
    table = rows("partnerships")
    assert not [r for r in table if r["id"] == "vaxjo-kalush"]
    assert all(r["description"] == "" for r in table if r["id"] == "umea-kherson")


@pytest.mark.parametrize("text", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_formula_like_cells_are_neutralised_in_csv_only(text):
    Partnership.objects.filter(slug="umea-kherson").update(summary_en=text)
    row = next(
        r for r in rows("partnerships") if r["id"] == "umea-kherson" and r["language"] == "en"
    )
    assert row["summary"] == "'" + text
    items = json.loads(fetch("/open-data/partnerships.json"))
    assert (
        next(i for i in items if i["id"] == "umea-kherson" and i["language"] == "en")["summary"]
        == text
    )


def test_dcat_catalogue_lists_every_dataset_with_licence():
    catalogue = json.loads(fetch("/open-data/catalog.jsonld"))
    assert catalogue["@type"] == "dcat:Catalog"
    ids = {d["@id"].rsplit("#", 1)[1] for d in catalogue["dcat:dataset"]}
    assert ids == {*datasets.DATASETS, "iati"}
    assert all(d["dcat:distribution"][0]["dcterms:license"] for d in catalogue["dcat:dataset"])


def test_list_page_names_licences_and_schema():
    html = Client().get("/open-data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in (
        "CC BY 4.0",
        "datapackage.json",
        "partnerships.csv",
        "iati-activities.xml",
        "catalog.jsonld",
    ):
        assert text in html


def test_package_describes_every_field():
    package = metadata.datapackage()
    for resource in package["resources"]:
        assert all(f["description"] for f in resource["schema"]["fields"])
