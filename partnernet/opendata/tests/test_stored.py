"""The datasets written ahead by `opendata.regenerate` are served while they are of the current
data version and day, byte for byte what the request would compute; a write makes the request
compute them again, and the next run forgets the old files."""

import pytest
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.test import Client

from partnernet.jobs.registry import job_function
from partnernet.opendata.datasets import DATASETS
from partnernet.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def get(path: str):
    response = Client().get(path)
    assert response.status_code == 200, path
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def regenerate() -> dict:
    return job_function("opendata.regenerate")()


def test_without_a_run_every_download_is_computed():
    for name in DATASETS:
        for kind in ("csv", "json"):
            response, _body = get(f"/open-data/{name}.{kind}")
            assert not isinstance(response, FileResponse)


def test_a_fresh_stored_download_is_served_and_is_what_the_request_computes():
    computed = {(n, k): get(f"/open-data/{n}.{k}") for n in DATASETS for k in ("csv", "json")}
    assert regenerate()["written"] == 2 * len(DATASETS)
    for (name, kind), (streamed, body) in computed.items():
        response, stored = get(f"/open-data/{name}.{kind}")
        assert isinstance(response, FileResponse), (name, kind)
        assert stored == body and len(body) > 10
        for header in ("Content-Type", "Content-Disposition", "Access-Control-Allow-Origin"):
            assert response[header] == streamed[header]
    assert regenerate()["written"] == 0  # idempotent: nothing to write again


def test_a_write_makes_the_stored_files_stale_and_the_next_run_forgets_them():
    regenerate()
    partnership = Partnership.objects.published().first()
    Partnership.objects.filter(pk=partnership.pk).update(title_en="Zyxw renamed partnership")
    response, body = get("/open-data/partnerships.csv")
    assert not isinstance(response, FileResponse)  # computed: the stored one is of before
    run = regenerate()
    assert run == {"written": 2 * len(DATASETS), "removed": 2 * 2 * len(DATASETS)}
    response, stored = get("/open-data/partnerships.csv")
    assert isinstance(response, FileResponse) and stored == body
    folders, _files = default_storage.listdir("opendata")
    assert len(folders) == 1
