"""Machine-readable catalogues: DCAT-AP 3 (`/catalog.<ext>`, `/dataset/<name>.<ext>`) and the
Project Open Data `/data.json`."""

from __future__ import annotations

import datetime
import hashlib
import json
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse

from lotrinh.opendata import ckan_query, dcat, sdmx
from lotrinh.opendata.catalogue import (
    get_dataset,
    kept_document,
    list_datasets,
    publication,
    sdmx_codes,
)
from lotrinh.opendata.ckan_views import site_address
from lotrinh.opendata.pod import pod_catalogue
from lotrinh.opendata.search import SEARCH_FIELDS, search


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def catalogue(request: HttpRequest, extension: str) -> HttpResponse:
    """A page of the catalogue; `q`, `fq` and `modified_since` (a date or date and time) choose
    its datasets, as ckanext-dcat's catalogue endpoint does."""
    if extension not in dcat.SERIALISATIONS:
        raise Http404(extension)
    site = site_address(request)
    try:
        since = _moment(request.GET.get("modified_since", ""))
        queries = [ckan_query.parse(request.GET.get(k, ""), SEARCH_FIELDS) for k in ("q", "fq")]
        found = search(queries=queries, modified_since=since)
    except (ckan_query.QueryError, ValueError) as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    page = dcat.Page(_page_number(request), found.count)
    kept = urlencode([(k, v) for k, v in request.GET.items() if k != "page"])
    address = f"{site}/catalog.{extension}" + (f"?{kept}" if kept else "")

    def build() -> bytes:
        shown = found.page((page.number - 1) * dcat.PER_PAGE, dcat.PER_PAGE)
        graph = dcat.catalogue_graph(shown, site, page, address)
        return dcat.serialise(graph, extension)

    body = kept_document(f"dcat {address} {page.number}", build)
    return _rdf(request, body, extension)


def _rdf(request: HttpRequest, body: bytes, extension: str) -> HttpResponse:
    """A DCAT document with a weak validator naming the published data's version and the
    address: rdflib writes the same graph's blank nodes, JSON-LD and RDF/XML in an order that
    differs from one process to the next, so a validator of the bytes would never match twice."""
    response = HttpResponse(body, content_type=dcat.SERIALISATIONS[extension][1])
    asked = f"{publication().version!r} {request.get_full_path()}"
    response["ETag"] = f'W/"{hashlib.sha256(asked.encode()).hexdigest()[:32]}"'
    return response


def _moment(text: str) -> datetime.datetime | None:
    """`modified_since` as ckanext-dcat reads it: an ISO 8601 date or date and time (UTC when
    no offset is given)."""
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"modified_since: “{text}” không phải ngày ISO 8601 (YYYY-MM-DD) / "
            f"is not an ISO 8601 date (YYYY-MM-DD)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def dataset(request: HttpRequest, name: str, extension: str) -> HttpResponse:
    if extension not in dcat.SERIALISATIONS:
        raise Http404(extension)
    found = get_dataset(name)
    if found is None:
        raise Http404(name)
    graph = dcat.dataset_graph(found, site_address(request))
    return _rdf(request, dcat.serialise(graph, extension), extension)


def data_json(request: HttpRequest) -> HttpResponse:
    site = site_address(request)

    def build() -> bytes:
        document = pod_catalogue(list_datasets(), site)
        return json.dumps(document, ensure_ascii=False).encode()

    body = kept_document(f"data.json {site}", build)
    return HttpResponse(body, content_type="application/json;charset=utf-8")


def sdmx_structure(request: HttpRequest) -> HttpResponse:
    """The data structure definition every SDMX download names (SDMX-ML 2.1)."""
    body = kept_document("sdmx structure", lambda: sdmx.structure_message(*sdmx_codes()))
    return HttpResponse(body, content_type=sdmx.STRUCTURE_MEDIA_TYPE)
