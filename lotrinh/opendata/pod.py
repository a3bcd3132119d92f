"""The catalogue as a Project Open Data v1.1 `data.json` (DCAT-US 1.1), for harvesters that read it.

`bureauCode` and `programCode` are United States federal codes and are left out, as for every
non-federal publisher.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from lotrinh.opendata.catalogue import Dataset, latest_change
from lotrinh.opendata.ckan import resource_dicts
from lotrinh.opendata.licences import current_licence

SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"


def _day(moment: datetime.datetime | None) -> str:
    """A day in ISO 8601; a dataset of quoted figures alone has no approval time, so it gets the
    published data's last change (POD requires `modified`)."""
    moment = moment or latest_change() or timezone.now()
    return moment.date().isoformat()


def pod_dataset(dataset: Dataset, site: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "title": dataset.title,
        "description": dataset.description,
        "keyword": list(dataset.tags) or [dataset.kind],
        "modified": _day(dataset.modified or dataset.created),
        "publisher": {"@type": "org:Organization", "name": dataset.organisation.title},
        "contactPoint": {
            "@type": "vcard:Contact",
            "fn": dataset.organisation.title,
            "hasEmail": f"mailto:{settings.LOTRINH_OPEN_DATA_EMAIL}",
        },
        "identifier": f"{site}/dataset/{dataset.name}",
        "accessLevel": "public",
        "license": current_licence().url,
        "landingPage": f"{site}/dataset/{dataset.name}/",
        "language": ["vi"],
        "accrualPeriodicity": "irregular",
        "distribution": [
            {
                "@type": "dcat:Distribution",
                "downloadURL": r["url"],
                "mediaType": r["mimetype"],
                "format": r["format"],
                "title": r["name"],
            }
            for r in resource_dicts(dataset, site)
        ],
    }
    if dataset.years:
        found["temporal"] = f"{dataset.years[0]}-01-01/{dataset.years[-1]}-12-31"
    return found


def pod_catalogue(datasets: list[Dataset], site: str) -> dict[str, Any]:
    return {
        "@context": f"{SCHEMA}/catalog.jsonld",
        "@id": f"{site}/data.json",
        "@type": "dcat:Catalog",
        "conformsTo": SCHEMA,
        "describedBy": f"{SCHEMA}/catalog.json",
        "dataset": [pod_dataset(d, site) for d in datasets],
    }
