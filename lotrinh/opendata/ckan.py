"""The read-only CKAN Action API (v3): each action's parameters and answer, as CKAN 2.11 shapes them.

Clients written for CKAN (the `ckanapi` library and command, ckanr, harvesters) read the portal
unchanged. Every dataset, resource and record comes from `opendata.catalogue`, so this module
publishes exactly what the portal's pages do. Actions take the request's parameters (strings or
lists from a query string, any JSON from a body) and the site's address, and return the `result`.
"""

from __future__ import annotations

import datetime
import functools
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import override

from lotrinh.core.spreadsheets import SafeCsvWriter
from lotrinh.core.text import search_key
from lotrinh.indicators.models import Pillar
from lotrinh.opendata import ckan_query, sdmx
from lotrinh.opendata.catalogue import (
    KIND_LABELS,
    TASKS,
    Column,
    Dataset,
    Organisation,
    Resource,
    ckan_time,
    dataset_table,
    find_resource,
    get_dataset,
    list_datasets,
    resources_of,
    stable_id,
)
from lotrinh.opendata.exports import MEDIA_TYPES, json_records
from lotrinh.opendata.licences import LICENCES, current_licence
from lotrinh.opendata.search import (
    DEFAULT_SORT,
    FACETS,
    SEARCH_FIELDS,
    Found,
    find_dataset,
    search,
)

CKAN_VERSION = "2.11.5"
ROWS_MAX = 1000
RESOURCE_MEDIA_TYPES = {
    **{key.upper(): media for key, media in MEDIA_TYPES.items()},
    **{key.upper(): media for key, media in sdmx.MEDIA_TYPES.items()},
}
DATASTORE_LIMIT_MAX = 32000


class NotFound(Exception):  # noqa: N818 -- named as CKAN names it
    """CKAN's NotFound: answered 404 with "Not Found Error"."""


class ValidationError(Exception):  # noqa: N818 -- named as CKAN names it
    """CKAN's ValidationError: answered 409 with each field's messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


class SearchQueryError(Exception):
    """CKAN's SearchQueryError: answered 400."""


def missing(field: str) -> ValidationError:
    return ValidationError({field: ["Missing value (thiếu giá trị)"]})


def integer(params: dict[str, Any], key: str, default: int, low: int = 0) -> int:
    value = params.get(key, default)
    if isinstance(value, list):
        value = value[-1]
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({key: ["Invalid integer (không phải số nguyên)"]}) from None
    if number < low:
        raise ValidationError({key: [f"Must be at least {low} (phải từ {low} trở lên)"]})
    return number


def boolean(params: dict[str, Any], key: str, default: bool) -> bool:
    value = params.get(key, default)
    if isinstance(value, list):
        value = value[-1]
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


def _text(params: dict[str, Any], key: str, default: str = "") -> str:
    value = params.get(key, default)
    if isinstance(value, list):
        value = value[-1] if value else default
    return str(value) if value is not None else default


def _list(params: dict[str, Any], key: str) -> list[str]:
    """A list parameter given as a JSON list, a JSON string of one, repeated keys or commas."""
    value = params.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ValidationError({key: ["Must be a list (phải là danh sách)"]})
    return [str(v) for v in value]


# --- Shapes -------------------------------------------------------------------------------------


def organisation_dict(organisation: Organisation, count: int | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": stable_id("organization", organisation.name),
        "name": organisation.name,
        "title": organisation.title,
        "display_name": organisation.title,
        "type": "organization",
        "description": f"{organisation.title} ({organisation.code})",
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(_day_start(organisation.valid_from)),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }
    if count is not None:
        found["package_count"] = count
    return found


def _day_start(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


def _pillar_title(pillar: str) -> str:
    with override("vi"):
        return str(dict(Pillar.choices).get(pillar, pillar))


def group_dict(pillar: str, count: int | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": stable_id("group", pillar),
        "name": pillar,
        "title": _pillar_title(pillar),
        "display_name": _pillar_title(pillar),
        "description": "",
        "image_url": "",
        "image_display_url": "",
        "type": "group",
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
    }
    if count is not None:
        found["package_count"] = count
    return found


RESOURCE_DESCRIPTIONS = {
    "": "",
    TASKS: "Nhiệm vụ của chương trình và tình trạng đã duyệt / The programme's tasks and their "
    "approved state",
}


def _resource_description(resource: Resource, site: str) -> str:
    if resource.format.startswith("SDMX"):
        structure = site + reverse("sdmx-structure")
        return f"Cấu trúc dữ liệu (DSD) / Data structure: {structure}"
    return RESOURCE_DESCRIPTIONS[resource.part]


def resource_dicts(dataset: Dataset, site: str) -> list[dict[str, Any]]:
    found = []
    for position, resource in enumerate(resources_of(dataset)):
        url = site + reverse("opendata:download", args=[dataset.name, resource.key])
        what = " — nhiệm vụ" if resource.part == TASKS else ""
        found.append(
            {
                "id": f"{dataset.name}-{resource.key}",
                "package_id": stable_id("dataset", dataset.name),
                "url": url,
                "format": resource.format,
                "name": f"{dataset.title}{what} ({resource.format})",
                "description": _resource_description(resource, site),
                "mimetype": RESOURCE_MEDIA_TYPES[resource.format].split(";")[0],
                "mimetype_inner": None,
                "hash": "",
                "size": None,
                "position": position,
                "resource_type": None,
                "url_type": "datastore" if resource.datastore else None,
                "state": "active",
                "created": ckan_time(dataset.created),
                "last_modified": ckan_time(dataset.modified),
                "metadata_modified": ckan_time(dataset.modified),
                "cache_url": None,
                "cache_last_updated": None,
                # Each table's CSV resource is the one datastore_search reads.
                "datastore_active": resource.datastore,
            }
        )
    return found


def _extras(dataset: Dataset) -> list[dict[str, str]]:
    organisation = dataset.organisation
    extras = {
        "kind": dataset.kind,
        "title_en": dataset.title_en,
        "unit_code": organisation.code,
        "structure": organisation.structure,
        "unit_valid_from": organisation.valid_from.isoformat() if organisation.valid_from else "",
        "unit_valid_to": organisation.valid_to.isoformat() if organisation.valid_to else "",
        "indicator_code": dataset.indicator_code,
        "programme_code": dataset.programme_code,
        "measure": dataset.unit,
        "years": ",".join(str(y) for y in dataset.years),
        "language": "vi",
        "update_frequency": "on approval",
    }
    return [{"key": k, "value": v} for k, v in sorted(extras.items()) if v]


@functools.lru_cache(maxsize=8192)
def package_dict(dataset: Dataset, site: str) -> dict[str, Any]:
    """The package of a dataset (kept per dataset and site: callers must not change it)."""
    return _package_dict(dataset, site)


@dataclass(frozen=True)
class Encoded:
    """A value already written as JSON, placed as it is in the answer (see `encode`)."""

    text: str


@functools.lru_cache(maxsize=8192)
def package_json(dataset: Dataset, site: str) -> Encoded:
    """The package of a dataset as JSON, kept so that a search writes only its envelope."""
    return Encoded(json.dumps(package_dict(dataset, site), ensure_ascii=False))


def _package_dict(dataset: Dataset, site: str) -> dict[str, Any]:
    licence = current_licence()
    resources = resource_dicts(dataset, site)
    tags = [
        {
            "id": stable_id("tag", tag),
            "name": tag,
            "display_name": tag,
            "state": "active",
            "vocabulary_id": None,
        }
        for tag in dataset.tags
    ]
    return {
        "id": stable_id("dataset", dataset.name),
        "name": dataset.name,
        "title": dataset.title,
        "version": None,
        "url": site + reverse("opendata:dataset-detail", args=[dataset.name]),
        "author": dataset.organisation.title,
        "author_email": None,
        "maintainer": dataset.organisation.title,
        "maintainer_email": None,
        "notes": dataset.description,
        "license_id": licence.id,
        "license_title": licence.title,
        "license_url": licence.url,
        "type": "dataset",
        "owner_org": stable_id("organization", dataset.organisation.name),
        "private": False,
        "state": "active",
        "creator_user_id": None,
        "metadata_created": ckan_time(dataset.created),
        "metadata_modified": ckan_time(dataset.modified),
        "isopen": licence.is_open,
        "num_resources": len(resources),
        "num_tags": len(tags),
        "organization": organisation_dict(dataset.organisation),
        "groups": [group_dict(dataset.pillar)] if dataset.pillar else [],
        "tags": tags,
        "extras": _extras(dataset),
        "resources": resources,
        "relationships_as_subject": [],
        "relationships_as_object": [],
    }


# --- Lookups ------------------------------------------------------------------------------------


def _find_dataset(key: str) -> Dataset:
    found = find_dataset(key)
    if found is None:
        raise NotFound(f"Không có bộ dữ liệu “{key}” / No dataset “{key}”")
    return found


def _find_resource(key: str) -> tuple[Dataset, Resource]:
    # Dataset names hold dashes, and so do some resources' keys ("tasks-csv"): try each split.
    parts = key.split("-")
    for cut in range(len(parts) - 1, 0, -1):
        dataset = get_dataset("-".join(parts[:cut]))
        resource = find_resource(dataset, "-".join(parts[cut:])) if dataset else None
        if dataset is not None and resource is not None:
            return dataset, resource
    raise NotFound(f"Không có tài nguyên “{key}” / No resource “{key}”")


def _organisations() -> dict[str, tuple[Organisation, int]]:
    found: dict[str, tuple[Organisation, int]] = {}
    for dataset in list_datasets():
        organisation = dataset.organisation
        found[organisation.name] = (organisation, found.get(organisation.name, (None, 0))[1] + 1)
    return found


def _groups() -> dict[str, int]:
    found: dict[str, int] = {}
    for dataset in list_datasets():
        if dataset.pillar:
            found[dataset.pillar] = found.get(dataset.pillar, 0) + 1
    return found


# --- Actions ------------------------------------------------------------------------------------


def package_list(params: dict[str, Any], site: str) -> list[str]:
    names = [d.name for d in list_datasets()]
    offset = integer(params, "offset", 0)
    limit = integer(params, "limit", len(names))
    return names[offset : offset + limit]


def package_show(params: dict[str, Any], site: str) -> dict[str, Any]:
    key = _text(params, "id")
    if not key:
        raise missing("id")
    return package_dict(_find_dataset(key), site)


def package_search(params: dict[str, Any], site: str) -> dict[str, Any]:
    try:
        queries = [
            ckan_query.parse(_text(params, "q"), SEARCH_FIELDS),
            ckan_query.parse(_text(params, "fq"), SEARCH_FIELDS),
            *(ckan_query.parse(fq, SEARCH_FIELDS) for fq in _list(params, "fq_list")),
        ]
        sort = _text(params, "sort") or DEFAULT_SORT
        found = search(queries=queries, sort=sort)
    except ckan_query.QueryError as error:
        raise SearchQueryError(str(error)) from None
    rows = min(integer(params, "rows", 10), ROWS_MAX)
    start = integer(params, "start", 0)
    facet_fields = [f for f in _list(params, "facet.field") if f in FACETS]
    facet_limit = integer(params, "facet.limit", 50, low=-1)
    facets, search_facets = _facets(found, facet_fields, facet_limit)
    page = found.page(start, rows)
    # `fl` asks for some fields only; else each package's JSON is written once per version.
    fields = _list(params, "fl")
    results: list[Any] = (
        [{f: v for f, v in package_dict(d, site).items() if f in fields} for d in page]
        if fields
        else [package_json(d, site) for d in page]
    )
    return {
        "count": found.count,
        "facets": facets,
        "results": results,
        "sort": sort,
        "search_facets": search_facets,
    }


def _facets(
    found: Found, fields: list[str], limit: int
) -> tuple[dict[str, dict[str, int]], dict[str, Any]]:
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, Any] = {}
    organisations = (
        {d.organisation.name: d.organisation.title for d in found.index.datasets}
        if "organization" in fields
        else {}
    )
    for field in fields:
        top = found.facet_counts(field, limit)
        facets[field] = {item.name: item.count for item in top}

        def shown(value: str, field: str = field) -> str:
            if field == "organization":
                return organisations.get(value, value)
            if field in ("groups", "pillar"):
                return _pillar_title(value)
            if field == "kind":
                with override("vi"):
                    return str(KIND_LABELS.get(value, value))
            return value

        items = [{"name": i.name, "display_name": shown(i.name), "count": i.count} for i in top]
        items.sort(key=lambda item: str(item["display_name"]), reverse=True)
        search_facets[field] = {"title": field, "items": items}
    return facets, search_facets


def _listing(params: dict[str, Any], entries: list[tuple[str, str, int, Any]]) -> list[Any]:
    """organization_list and group_list: names, or dicts with `all_fields`; `entries` are
    (name, title, dataset count, dict builder)."""
    query = _text(params, "q")
    if query:
        entries = [e for e in entries if query.lower() in f"{e[0]} {e[1]}".lower()]
    wanted = _list(params, "organizations") or _list(params, "groups")
    if wanted:
        entries = [e for e in entries if e[0] in wanted]
    sort = (_text(params, "sort") or "title asc").split()
    field, reverse = sort[0], len(sort) > 1 and sort[1].lower() == "desc"
    column = {"name": 0, "title": 1, "package_count": 2}.get(field)
    if column is None:
        raise ValidationError({"sort": [f"Cannot sort by '{field}' (không sắp xếp được)"]})
    entries = sorted(entries, key=lambda e: e[column], reverse=reverse)
    all_fields = boolean(params, "all_fields", False)
    offset = integer(params, "offset", 0)
    limit = integer(params, "limit", 25 if all_fields else 1000)
    page = entries[offset : offset + limit]
    return [build() for *_, build in page] if all_fields else [e[0] for e in page]


def organization_list(params: dict[str, Any], site: str) -> list[Any]:
    entries = [
        (name, org.title, count, lambda org=org, count=count: organisation_dict(org, count))
        for name, (org, count) in _organisations().items()
    ]
    return _listing(params, entries)


def group_list(params: dict[str, Any], site: str) -> list[Any]:
    entries = [
        (pillar, _pillar_title(pillar), count, lambda p=pillar, c=count: group_dict(p, c))
        for pillar, count in _groups().items()
    ]
    return _listing(params, entries)


def _with_datasets(
    found: dict[str, Any], datasets: list[Dataset], params: dict[str, Any], site: str
) -> dict[str, Any]:
    found |= {"extras": [], "groups": [], "users": [], "num_followers": 0}
    if boolean(params, "include_datasets", False):
        found["packages"] = [package_dict(d, site) for d in datasets[:1000]]
    return found


def organization_show(params: dict[str, Any], site: str) -> dict[str, Any]:
    key = _text(params, "id")
    if not key:
        raise missing("id")
    for name, (organisation, count) in _organisations().items():
        if key in (name, stable_id("organization", name)):
            datasets = [d for d in list_datasets() if d.organisation.name == name]
            return _with_datasets(organisation_dict(organisation, count), datasets, params, site)
    raise NotFound(f"Không có tổ chức “{key}” / No organization “{key}”")


def group_show(params: dict[str, Any], site: str) -> dict[str, Any]:
    key = _text(params, "id")
    if not key:
        raise missing("id")
    for pillar, count in _groups().items():
        if key in (pillar, stable_id("group", pillar)):
            datasets = [d for d in list_datasets() if d.pillar == pillar]
            return _with_datasets(group_dict(pillar, count), datasets, params, site)
    raise NotFound(f"Không có nhóm “{key}” / No group “{key}”")


def tag_list(params: dict[str, Any], site: str) -> list[Any]:
    query = search_key(_text(params, "query") or _text(params, "q"))
    tags = sorted({t for d in list_datasets() for t in d.tags if query in search_key(t)})
    if boolean(params, "all_fields", False):
        return [
            {"id": stable_id("tag", t), "name": t, "display_name": t, "vocabulary_id": None}
            for t in tags
        ]
    return tags


def resource_show(params: dict[str, Any], site: str) -> dict[str, Any]:
    key = _text(params, "id")
    if not key:
        raise missing("id")
    dataset, _resource = _find_resource(key)
    return next(r for r in resource_dicts(dataset, site) if r["id"] == key)


def status_show(params: dict[str, Any], site: str) -> dict[str, Any]:
    return {
        "site_title": "Lộ Trình — Cổng dữ liệu mở",
        "site_description": "Dữ liệu chuyển đổi số đã phê duyệt / Approved digital-transformation data",
        "site_url": site,
        "error_emails_to": None,
        "locale_default": "vi",
        "extensions": ["lotrinh", "datastore", "dcat"],
        "ckan_version": CKAN_VERSION,
    }


def site_read(params: dict[str, Any], site: str) -> bool:
    return True


def license_list(params: dict[str, Any], site: str) -> list[dict[str, Any]]:
    return [
        {"id": licence.id, "title": licence.title, "url": licence.url, "is_okd_compliant": True}
        for licence in LICENCES.values()
    ]


# --- DataStore ----------------------------------------------------------------------------------


def datastore_fields(columns: list[Column], shown: list[str]) -> list[dict[str, Any]]:
    """The DataStore's description of the shown fields: `_id` first, then each column's type."""
    found = [{"id": "_id", "type": "int"}] + [
        {"id": c.id, "type": c.type, "info": {"label": str(c.label)}} for c in columns
    ]
    return [f for f in found if f["id"] in shown]


def _filters(params: dict[str, Any], known: set[str]) -> dict[str, Any]:
    value = params.get("filters") or {}
    if isinstance(value, list):
        value = value[-1]
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValidationError(
                {"filters": ["Not a JSON object (không phải đối tượng JSON)"]}
            ) from None
    if not isinstance(value, dict):
        raise ValidationError({"filters": ["Not a JSON object (không phải đối tượng JSON)"]})
    unknown = sorted(set(value) - known)
    if unknown:
        raise ValidationError(
            {"filters": [f"Field {unknown[0]!r} not in resource (không có trường này)"]}
        )
    found: dict[str, Any] = {}
    for name, wanted in value.items():
        if isinstance(wanted, dict):
            if not wanted or set(wanted) - set(RANGES):
                raise ValidationError(
                    {"filters": [f"Range of {name!r}: gt, gte, lt, lte (khoảng không hợp lệ)"]}
                )
            found[name] = wanted
        else:
            found[name] = [str(x) for x in (wanted if isinstance(wanted, list) else [wanted])]
    return found


def _cell_text(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")
RANGES: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


@dataclass
class DatastoreRows:
    """What a DataStore request selects: the resource, its shown fields and every matching
    record (filtered, searched, sorted and, with `distinct`, without repeats), before paging."""

    resource_id: str
    dataset: Dataset
    columns: list[Column]
    shown: list[str]
    records: list[dict[str, Any]]
    filters: dict[str, Any]


def datastore_rows(params: dict[str, Any]) -> DatastoreRows:
    """The rows `datastore_search` and the DataStore dump give for CKAN's parameters."""
    key = _text(params, "resource_id") or _text(params, "id")
    if not key:
        raise missing("resource_id")
    dataset, resource = _find_resource(key)
    table = dataset_table(dataset, resource.part)
    known = {c.id for c in table.columns} | {"_id"}
    filters = _filters(params, known)
    records = [{"_id": n, **r} for n, r in enumerate(json_records(table), start=1)]
    for field, wanted in filters.items():
        records = [r for r in records if _kept(r[field], wanted)]
    text = _text(params, "q")
    if text:
        words = text.lower().split()
        records = [
            r
            for r in records
            if all(any(w in _cell_text(v).lower() for v in r.values()) for w in words)
        ]
    records = _datastore_sorted(records, _text(params, "sort"), known)
    fields = _list(params, "fields")
    unknown = sorted(set(fields) - known)
    if unknown:
        raise ValidationError(
            {"fields": [f"Field {unknown[0]!r} not in resource (không có trường này)"]}
        )
    columns = [c for c in table.columns if not fields or c.id in fields]
    shown = fields or ["_id", *(c.id for c in columns)]
    records = [{f: r[f] for f in shown} for r in records]
    if boolean(params, "distinct", False):
        seen: set[tuple[str, ...]] = set()
        unique = []
        for record in records:
            cells = tuple(_cell_text(record[f]) for f in shown)
            if cells not in seen:
                seen.add(cells)
                unique.append(record)
        records = unique
    return DatastoreRows(key, dataset, columns, shown, records, filters)


def _kept(value: object, wanted: list[str] | dict[str, Any]) -> bool:
    """Whether a cell passes a filter: one of the listed values, or within a range
    (`{"gt": …, "lte": …}`, as CKAN 2.12 filters)."""
    if isinstance(wanted, list):
        return _cell_text(value) in wanted
    if value is None:
        return False
    number = isinstance(value, int | float) and not isinstance(value, bool)
    for operator, bound in wanted.items():
        try:
            if not RANGES[operator](value, float(bound) if number else str(bound)):
                return False
        except (TypeError, ValueError):
            return False
    return True


def datastore_search(params: dict[str, Any], site: str) -> dict[str, Any]:
    rows = datastore_rows(params)
    limit = min(integer(params, "limit", 100), DATASTORE_LIMIT_MAX)
    offset = integer(params, "offset", 0)
    records_format = _text(params, "records_format") or "objects"
    if records_format not in RECORDS_FORMATS:
        raise ValidationError(
            {"records_format": [f"Must be one of {', '.join(RECORDS_FORMATS)} (không hợp lệ)"]}
        )
    page = rows.records[offset : offset + limit]
    result: dict[str, Any] = {
        "resource_id": rows.resource_id,
        "fields": datastore_fields(rows.columns, rows.shown),
        "records": _formatted(page, rows.shown, records_format),
        "limit": limit,
        "offset": offset,
        "filters": rows.filters,
        "include_total": boolean(params, "include_total", True),
        "records_format": records_format,
        "_links": _links(rows.resource_id, limit, offset, len(rows.records)),
    }
    if result["include_total"]:
        result["total"] = len(rows.records)
        result["total_was_estimated"] = False
    # CKAN 2.12 pages by key: the filter that gives the next page, when sorted by _id.
    by_id = _text(params, "sort") in ("", "_id", "_id asc") and "_id" in rows.shown
    more = bool(page) and offset + limit < len(rows.records)
    if boolean(params, "include_next_page", False) and by_id and more:
        result["next_page"] = {"_id": {"gt": page[-1]["_id"]}}
    return result


def delimited(records: list[dict[str, Any]], shown: list[str], delimiter: str = ",") -> str:
    """Records as CSV or TSV lines, without a header (cells that look like formulas
    neutralised)."""
    stream = io.StringIO()
    writer = SafeCsvWriter(stream, delimiter=delimiter, lineterminator="\n")
    for record in records:
        writer.writerow(["" if record[f] is None else _cell_text(record[f]) for f in shown])
    return stream.getvalue()


def _formatted(records: list[dict[str, Any]], shown: list[str], records_format: str) -> Any:
    if records_format == "lists":
        return [[r[f] for f in shown] for r in records]
    if records_format in ("csv", "tsv"):
        return delimited(records, shown, "," if records_format == "csv" else "\t")
    return records


def _datastore_sorted(
    records: list[dict[str, Any]], sort: str, known: set[str]
) -> list[dict[str, Any]]:
    for part in reversed([p.strip() for p in sort.split(",") if p.strip()]):
        words = part.split()
        field, descending = words[0].strip('"'), len(words) > 1 and words[1].lower() == "desc"
        if field not in known:
            raise ValidationError(
                {"sort": [f"Field {field!r} not in resource (không có trường này)"]}
            )
        present = [r for r in records if r[field] is not None]
        absent = [r for r in records if r[field] is None]
        present.sort(key=lambda r: r[field], reverse=descending)
        records = present + absent  # nulls last, as PostgreSQL sorts them ascending
    return records


def _links(resource_id: str, limit: int, offset: int, total: int) -> dict[str, str]:
    base = "/api/3/action/datastore_search?"
    links = {
        "start": base + urlencode({"resource_id": resource_id, "limit": limit}),
        "next": base
        + urlencode({"resource_id": resource_id, "limit": limit, "offset": offset + limit}),
    }
    if offset - limit > 0:
        links["prev"] = base + urlencode(
            {"resource_id": resource_id, "limit": limit, "offset": offset - limit}
        )
    return links


ACTIONS: dict[str, Callable[[dict[str, Any], str], Any]] = {
    "package_list": package_list,
    "package_show": package_show,
    "package_search": package_search,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "group_show": group_show,
    "tag_list": tag_list,
    "resource_show": resource_show,
    "status_show": status_show,
    "site_read": site_read,
    "license_list": license_list,
    "datastore_search": datastore_search,
}


def encode(value: object) -> str:
    """JSON of an answer, with the `Encoded` values of its objects and lists placed as written."""
    if isinstance(value, Encoded):
        return value.text
    if isinstance(value, dict) and any(
        isinstance(v, dict | list | Encoded) for v in value.values()
    ):
        items = (f"{json.dumps(str(k), ensure_ascii=False)}: {encode(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list) and any(isinstance(v, Encoded) for v in value):
        return "[" + ", ".join(encode(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False, default=json_default)


def json_default(value: object) -> object:
    """How the API writes what JSON has no type for."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
