"""Descriptions of the datasets: the Frictionless data package and DCAT-AP-SE (JSON-LD)."""

from typing import Any

from django.utils import translation

from .datasets import DATASETS, Dataset

LICENCES = {
    "CC-BY-4.0": {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    },
    "registry": {
        "name": "registry-sources",
        "title": "SCB codes and boundaries: CC0 1.0; KATOTTG codifier: official "
        "document of Ukraine; OCHA COD-AB centroids: CC BY-IGO "
        "(see partnernet/data/README.md)",
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
    },
}
SOURCES = {
    "registry": [
        {"title": "SCB municipality codes and boundaries (via sjbrg/swedish-geodata)"},
        {"title": "Codifier of administrative units of Ukraine (KATOTTG)"},
        {"title": "OCHA COD-AB Ukraine (centroids)"},
    ],
    "CC-BY-4.0": [{"title": "Partnernet (ICLD network for democratic resilience)"}],
}
PUBLISHER = "ICLD – Swedish International Centre for Local Democracy"


def table_schema(dataset: Dataset) -> dict:
    fields = []
    for field in dataset.fields:
        item: dict[str, Any] = {
            "name": field.name,
            "type": field.type,
            "description": field.description,
        }
        if field.required:
            item["constraints"] = {"required": True}
        if field.name == "language":
            item.setdefault("constraints", {})["enum"] = ["sv", "uk", "en"]
        if field.constraints:
            item.setdefault("constraints", {}).update(dict(field.constraints))
        fields.append(item)
    return {"fields": fields, "primaryKey": list(dataset.primary_key), "missingValues": [""]}


def resource(dataset: Dataset, fmt: str, base: str = "") -> dict:
    """One resource of the package; `path` is relative so the package works when downloaded."""
    with translation.override("en"):
        title, description = str(dataset.title), str(dataset.description)
    item = {
        "name": f"{dataset.name}-{fmt}",
        "path": f"{base}{dataset.name}.{fmt}",
        "format": fmt,
        "mediatype": "text/csv" if fmt == "csv" else "application/json",
        "encoding": "utf-8",
        "title": title,
        "description": description,
        "schema": table_schema(dataset),
        "licenses": [LICENCES[dataset.licence]],
        "sources": SOURCES[dataset.licence],
    }
    item["profile"] = "tabular-data-resource"
    if fmt == "csv":
        item["dialect"] = {"delimiter": ",", "header": True}
    return item


def datapackage(base: str = "") -> dict:
    # CSV only: plain `frictionless validate` reads JSON resources only with frictionless[json];
    # the .json files carry the same rows and fields (see the DCAT catalogue).
    resources = [resource(d, "csv", base) for d in DATASETS.values()]
    return {
        "profile": "tabular-data-package",
        "name": "partnernet-open-data",
        "title": "Partnernet open data: municipal partnerships between Sweden and Ukraine",
        "homepage": "/open-data/",
        "licenses": [LICENCES["CC-BY-4.0"]],
        "contributors": [{"title": PUBLISHER, "role": "publisher"}],
        "resources": resources,
    }


def dcat_catalog(base: str) -> dict:
    """DCAT-AP-SE catalogue of the datasets (JSON-LD), `base` = absolute site root."""
    datasets = [_dcat_dataset(d, base) for d in DATASETS.values()]
    datasets.append(_dcat_iati(base))
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dcterms": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
        },
        "@id": f"{base}/open-data/catalog.jsonld",
        "@type": "dcat:Catalog",
        "dcterms:title": [
            {"@value": "Partnernet – öppna data", "@language": "sv"},
            {"@value": "Partnernet open data", "@language": "en"},
        ],
        "dcterms:description": [
            {"@value": "Kommunala partnerskap mellan Sverige och Ukraina.", "@language": "sv"},
            {"@value": "Municipal partnerships between Sweden and Ukraine.", "@language": "en"},
        ],
        "dcterms:publisher": _publisher(),
        "dcterms:license": {"@id": LICENCES["CC-BY-4.0"]["path"]},
        "dcterms:language": [
            {"@id": f"http://publications.europa.eu/resource/authority/language/{c}"}
            for c in ("SWE", "UKR", "ENG")
        ],
        "foaf:homepage": {"@id": f"{base}/open-data/"},
        "dcat:dataset": datasets,
    }


def _publisher() -> dict:
    return {
        "@type": "foaf:Agent",
        "foaf:name": PUBLISHER,
        "dcterms:type": {"@id": "http://purl.org/adms/publishertype/NationalAuthority"},
    }


def _contact() -> dict:
    return {"@type": "vcard:Organization", "vcard:fn": PUBLISHER}


def _distribution(base: str, path: str, media: str, licence: str) -> dict:
    return {
        "@id": f"{base}/open-data/{path}",
        "@type": "dcat:Distribution",
        "dcat:accessURL": {"@id": f"{base}/open-data/{path}"},
        "dcat:downloadURL": {"@id": f"{base}/open-data/{path}"},
        "dcat:mediaType": {"@id": f"http://www.iana.org/assignments/media-types/{media}"},
        "dcterms:license": {"@id": licence},
        "dcterms:title": path,
    }


def _dcat_dataset(dataset: Dataset, base: str) -> dict:
    titles, descriptions = [], []
    for lang in ("sv", "en", "uk"):
        with translation.override(lang):
            titles.append({"@value": str(dataset.title), "@language": lang})
            descriptions.append({"@value": str(dataset.description), "@language": lang})
    licence = LICENCES[dataset.licence]["path"]
    return {
        "@id": f"{base}/open-data/#{dataset.name}",
        "@type": "dcat:Dataset",
        "dcterms:title": titles,
        "dcterms:description": descriptions,
        "dcterms:publisher": _publisher(),
        "dcat:contactPoint": _contact(),
        "dcat:keyword": ["partnership", "municipality", "Ukraine", "Sweden"],
        "dcterms:conformsTo": {"@id": f"{base}/open-data/datapackage.json"},
        "dcat:distribution": [
            _distribution(base, f"{dataset.name}.csv", "text/csv", licence),
            _distribution(base, f"{dataset.name}.json", "application/json", licence),
        ],
    }


def _dcat_iati(base: str) -> dict:
    licence = LICENCES["CC-BY-4.0"]["path"]
    return {
        "@id": f"{base}/open-data/#iati",
        "@type": "dcat:Dataset",
        "dcterms:title": [{"@value": "IATI 2.03 activities and organisation", "@language": "en"}],
        "dcterms:description": [
            {"@value": "Published partnerships as IATI 2.03 activities.", "@language": "en"}
        ],
        "dcterms:publisher": _publisher(),
        "dcat:contactPoint": _contact(),
        "dcterms:conformsTo": {"@id": "http://iatistandard.org/203/"},
        "dcat:distribution": [
            _distribution(base, "iati-activities.xml", "application/xml", licence),
            _distribution(base, "iati-organisation.xml", "application/xml", licence),
        ],
    }
