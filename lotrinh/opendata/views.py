"""The open data portal's public pages and downloads (no sign-in): catalogue, dataset, API guide."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import overload
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language

from lotrinh.indicators.models import Indicator, Pillar
from lotrinh.opendata import exchange, sdmx
from lotrinh.opendata.catalogue import (
    INDICATOR,
    KIND_LABELS,
    PROGRAMME,
    TASKS,
    Dataset,
    Table,
    dataset_table,
    find_resource,
    get_dataset,
    list_datasets,
    resources_of,
)
from lotrinh.opendata.exports import MEDIA_TYPES, plain, to_csv, to_json, to_xlsx
from lotrinh.opendata.licences import current_licence
from lotrinh.opendata.search import FACETS, Found, search
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.publication import confidential_indicators

PAGE_SIZE = 25
SHOWN_FACETS = ("pillar", "organization", "indicator", "year", "res_format", "kind")


def _dataset_or_404(name: str) -> Dataset:
    dataset = get_dataset(name)
    if dataset is None:
        raise Http404(name)
    return dataset


def catalogue(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    filters = {name: request.GET.getlist(name) for name in FACETS if request.GET.getlist(name)}
    found = search(query, filters)
    page = Paginator(_Pages(found), PAGE_SIZE).get_page(request.GET.get("page"))
    pillars = dict(Pillar.choices)
    facets = [
        (
            name,
            [
                (item, _facet_label(name, item.name, pillars))
                for item in found.facet_counts(name, 20)
            ],
        )
        for name in SHOWN_FACETS
    ]
    context = {
        "query": query,
        "filters": filters,
        "base_query": urlencode(
            [("q", query)] * bool(query) + [(k, v) for k, vs in filters.items() for v in vs]
        ),
        "page": page,
        "entries": [(d, KIND_LABELS.get(d.kind, d.kind)) for d in page],
        "count": found.count,
        "facets": facets,
        "pillars": pillars,
        "kinds": KIND_LABELS,
    }
    return render(request, "opendata/catalogue.html", context)


class _Pages(Sequence[Dataset]):
    """The found datasets as the paginator reads them: only the shown page is put in order."""

    def __init__(self, found: Found) -> None:
        self.found = found

    def __len__(self) -> int:
        return self.found.count

    @overload
    def __getitem__(self, index: int) -> Dataset: ...
    @overload
    def __getitem__(self, index: slice) -> list[Dataset]: ...
    def __getitem__(self, index: int | slice) -> Dataset | list[Dataset]:
        if isinstance(index, int):
            return self.found.page(index, 1)[0]
        start, stop, _step = index.indices(self.found.count)
        return self.found.page(start, max(0, stop - start))


def _facet_label(name: str, value: str, pillars: Mapping[str, object]) -> str:
    if name == "pillar":
        return str(pillars.get(value, value))
    if name == "kind":
        return str(KIND_LABELS.get(value, value))
    return value


def dataset_detail(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _dataset_or_404(name)
    table = dataset_table(dataset)
    rows = [[plain(row[c.id]) for c in table.columns] for row in table.rows]
    chart = _chart(dataset, table)
    tasks = dataset_table(dataset, TASKS) if dataset.kind == PROGRAMME else None
    context = {
        "dataset": dataset,
        "title": dataset.title_en if get_language() == "en" else dataset.title,
        "table": table,
        "rows": rows[:500],
        "row_count": len(rows),
        "chart": chart,
        "licence": current_licence(),
        "downloads": _downloads(dataset, ""),
        "tasks": tasks,
        # The status's code is for machines; the page shows its label.
        "task_columns": [c for c in tasks.columns if c.id != "status"] if tasks else [],
        "task_rows": [
            [plain(row[c.id]) for c in tasks.columns if c.id != "status"] for row in tasks.rows
        ]
        if tasks
        else [],
        "task_downloads": _downloads(dataset, TASKS),
        "exchange_downloads": [
            (label, reverse("opendata:download", args=[dataset.name, fmt]))
            for fmt, label in (("dhis2", "DHIS2 dataValueSets (JSON)"), ("adx", "ADX (XML)"))
        ]
        if dataset.kind == INDICATOR
        else [],
        "kinds": KIND_LABELS,
    }
    return render(request, "opendata/dataset_detail.html", context)


def _downloads(dataset: Dataset, part: str) -> list[tuple[str, str]]:
    return [
        (r.format, reverse("opendata:download", args=[dataset.name, r.key]))
        for r in resources_of(dataset)
        if r.part == part
    ]


def _chart(dataset: Dataset, table: Table) -> dict[str, object] | None:
    """The trend chart's data (dashboards/charts.js): each figure at its period's end, as a
    decimal year."""
    if dataset.kind != INDICATOR or not table.rows:
        return None
    points = []
    for row in table.rows:
        day = row["period_end"]
        if isinstance(day, datetime.date) and isinstance(row["value"], Decimal):
            start = datetime.date(day.year, 1, 1)
            points.append([day.year + (day - start).days / 365.25, float(row["value"])])
    return {"actual": points, "other": [], "forecast": [], "target": [None, None]}


def metadata(dataset: Dataset) -> dict[str, object]:
    licence = current_licence()
    return {
        "name": dataset.name,
        "title": dataset.title,
        "title_en": dataset.title_en,
        "description": dataset.description,
        "publisher": dataset.organisation.title,
        "unit_code": dataset.organisation.code,
        "structure": dataset.organisation.structure,
        "unit_valid_from": plain(dataset.organisation.valid_from),
        "unit_valid_to": plain(dataset.organisation.valid_to),
        "licence": licence.id,
        "licence_title": licence.title,
        "licence_url": licence.url,
        "modified": dataset.modified.isoformat() if dataset.modified else None,
    }


def download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    dataset = _dataset_or_404(name)
    if fmt in exchange.MEDIA_TYPES and dataset.kind == INDICATOR:
        return _exchange_file(dataset, fmt)
    resource = find_resource(dataset, fmt)
    if resource is None:
        raise Http404(fmt)
    table = dataset_table(dataset, resource.part)
    if resource.key in sdmx.MEDIA_TYPES:
        writer = sdmx.to_sdmx_csv if resource.key == "sdmx-csv" else sdmx.to_sdmx_json
        extension = "csv" if resource.key == "sdmx-csv" else "json"
        response = HttpResponse(writer(dataset, table), content_type=sdmx.MEDIA_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{dataset.name}.{fmt}.{extension}"'
        return response
    kind = resource.format.lower()
    if kind == "csv":
        body = to_csv(table)
    elif kind == "xlsx":
        body = to_xlsx(table, dataset.name)
    else:
        body = to_json(table, metadata(dataset))
    response = HttpResponse(body, content_type=MEDIA_TYPES[kind])
    stem = f"{dataset.name}-{resource.part}" if resource.part else dataset.name
    response["Content-Disposition"] = f'attachment; filename="{stem}.{kind}"'
    return response


def _exchange_file(dataset: Dataset, fmt: str) -> HttpResponse:
    """The figures behind the dataset as DHIS2 dataValueSets (JSON) or ADX (XML), codes as ids."""
    indicator = get_object_or_404(
        Indicator.objects.exclude(pk__in=confidential_indicators().values("pk")),
        code=dataset.indicator_code,
    )
    province = get_object_or_404(OrgUnit, pk=dataset.organisation.pk)
    values = exchange.dataset_exchange_values(indicator, province)
    if fmt == "adx":
        body, extension = exchange.adx(values), "adx.xml"
    else:
        document = exchange.data_value_set(values)
        body, extension = json.dumps(document, ensure_ascii=False).encode(), "dhis2.json"
    response = HttpResponse(body, content_type=exchange.MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{dataset.name}.{extension}"'
    return response


def api_guide(request: HttpRequest) -> HttpResponse:
    example = next(iter(list_datasets()), None)
    context = {"site": request.build_absolute_uri("/").rstrip("/"), "example": example}
    return render(request, "opendata/api_guide.html", context)
