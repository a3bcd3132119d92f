"""Machine-readable catalogues: DCAT-AP 3 (`/catalog.<ext>`, `/dataset/<name>.<ext>`) and the
Project Open Data `/data.json`."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse

from lotrinh.opendata import dcat, sdmx
from lotrinh.opendata.catalogue import get_dataset, list_datasets, sdmx_codes
from lotrinh.opendata.ckan_views import site_address
from lotrinh.opendata.pod import pod_catalogue


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def catalogue(request: HttpRequest, extension: str) -> HttpResponse:
    if extension not in dcat.SERIALISATIONS:
        raise Http404(extension)
    site = site_address(request)
    datasets = list_datasets()
    page = dcat.Page(_page_number(request), len(datasets))
    shown = datasets[(page.number - 1) * dcat.PER_PAGE : page.number * dcat.PER_PAGE]
    address = f"{site}/catalog.{extension}"
    graph = dcat.catalogue_graph(shown, site, page, address)
    return HttpResponse(
        dcat.serialise(graph, extension), content_type=dcat.SERIALISATIONS[extension][1]
    )


def dataset(request: HttpRequest, name: str, extension: str) -> HttpResponse:
    if extension not in dcat.SERIALISATIONS:
        raise Http404(extension)
    found = get_dataset(name)
    if found is None:
        raise Http404(name)
    graph = dcat.dataset_graph(found, site_address(request))
    return HttpResponse(
        dcat.serialise(graph, extension), content_type=dcat.SERIALISATIONS[extension][1]
    )


def data_json(request: HttpRequest) -> HttpResponse:
    document = pod_catalogue(list_datasets(), site_address(request))
    return HttpResponse(
        json.dumps(document, ensure_ascii=False), content_type="application/json;charset=utf-8"
    )


def sdmx_structure(request: HttpRequest) -> HttpResponse:
    """The data structure definition every SDMX download names (SDMX-ML 2.1)."""
    body = sdmx.structure_message(*sdmx_codes())
    return HttpResponse(body, content_type=sdmx.STRUCTURE_MEDIA_TYPE)
