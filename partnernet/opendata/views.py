"""/open-data/: the list of datasets, the downloads (streamed) and their descriptions."""

import functools
import json

from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.views.decorators.http import require_GET

from partnernet.accounts.permissions import public
from partnernet.catalogue.conditional import catalogue_conditional
from partnernet.catalogue.selectors import catalogue_version

from . import exports, metadata
from .datasets import DATASETS, csv_chunks, json_chunks
from .stored import stored_download


def _site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _download(response, filename: str):
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@public
@require_GET
@catalogue_conditional
def index(request):
    context = {"datasets": DATASETS.values(), "licences": metadata.LICENCES}
    return render(request, "opendata/index.html", context)


def _known_dataset(view):
    """404 for a name that is no dataset, before the conditional GET: the validator does not
    depend on the name, so it would otherwise answer 304 for any name."""

    @functools.wraps(view)
    def wrapped(request, name: str):
        if name not in DATASETS:
            raise Http404
        return view(request, name)

    return wrapped


@public
@require_GET
@_known_dataset
@catalogue_conditional
def dataset_csv(request, name: str):
    dataset = DATASETS.get(name) or _missing()
    content_type = "text/csv; charset=utf-8"
    response = _stored(request, name, "csv", content_type) or StreamingHttpResponse(
        csv_chunks(dataset), content_type=content_type
    )
    return _download(response, f"{name}.csv")


@public
@require_GET
@_known_dataset
@catalogue_conditional
def dataset_json(request, name: str):
    dataset = DATASETS.get(name) or _missing()
    content_type = "application/json; charset=utf-8"
    response = _stored(request, name, "json", content_type) or StreamingHttpResponse(
        json_chunks(dataset), content_type=content_type
    )
    return _download(response, f"{name}.json")


def _stored(request, name: str, kind: str, content_type: str) -> FileResponse | None:
    """The download written ahead by `opendata.regenerate`, when it is of this data version."""
    version = getattr(request, "catalogue_version", None) or catalogue_version()
    stored = stored_download(name, kind, version)
    return FileResponse(stored, content_type=content_type) if stored is not None else None


def _missing():
    raise Http404


@public
@require_GET
@catalogue_conditional
def datapackage(request):
    return _download(
        JsonResponse(metadata.datapackage(), json_dumps_params={"indent": 2}), "datapackage.json"
    )


@public
@require_GET
@catalogue_conditional
def catalog(request):
    body = json.dumps(metadata.dcat_catalog(_site(request)), ensure_ascii=False, indent=2)
    return _download(
        HttpResponse(body, content_type="application/ld+json; charset=utf-8"), "catalog.jsonld"
    )


@public
@require_GET
def iati_activities(request):
    response = StreamingHttpResponse(
        exports.iati_activities_stream(), content_type="application/xml; charset=utf-8"
    )
    return _download(response, "iati-activities.xml")


@public
@require_GET
def iati_organisation(request):
    response = HttpResponse(
        exports.iati_organisation_document(), content_type="application/xml; charset=utf-8"
    )
    return _download(response, "iati-organisation.xml")
