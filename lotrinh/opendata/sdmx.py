"""An indicator dataset as SDMX: SDMX-CSV 2.0 (read by pysdmx without a structure) and SDMX-JSON 1.0
(read by sdmx1). Pure: no database.

Dimensions are the indicator, the area (the unit's structure and code, since a code is unique only
within a structure: `S2025_52`, `LEGACY_52`) and the period's last day; the measure is the value,
with its measure unit and whether it is provisional (`OBS_STATUS` P) as attributes.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

from django.utils import timezone

from lotrinh.opendata.catalogue import Dataset, Table

AGENCY = "LOTRINH"
DATAFLOW = "DF_INDICATORS"
VERSION = "1.0"
STRUCTURE_ID = f"{AGENCY}:{DATAFLOW}({VERSION})"
MEDIA_TYPES = {
    "sdmx-csv": "application/vnd.sdmx.data+csv;version=2.0.0",
    "sdmx-json": "application/vnd.sdmx.data+json;version=1.0.0",
}
CSV_HEADER = [
    "STRUCTURE",
    "STRUCTURE_ID",
    "ACTION",
    "INDICATOR",
    "REF_AREA",
    "TIME_PERIOD",
    "OBS_VALUE",
    "UNIT_MEASURE",
    "OBS_STATUS",
]


def area_id(structure: str, code: str) -> str:
    return f"{'LEGACY' if structure == 'legacy' else 'S' + structure}_{code}"


def _observations(dataset: Dataset, table: Table) -> list[dict[str, str]]:
    found = []
    for row in table.rows:
        value, day = row.get("value"), row.get("period_end")
        if not isinstance(value, Decimal) or not isinstance(day, datetime.date):
            continue
        found.append(
            {
                "INDICATOR": dataset.indicator_code,
                "REF_AREA": area_id(str(row["structure"]), str(row["unit_code"])),
                "TIME_PERIOD": day.isoformat(),
                "OBS_VALUE": format(value.normalize(), "f"),
                "UNIT_MEASURE": str(row.get("measure") or ""),
                "OBS_STATUS": "P" if row.get("provisional") else "A",
            }
        )
    return found


def to_sdmx_csv(dataset: Dataset, table: Table) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for obs in _observations(dataset, table):
        writer.writerow(["dataflow", STRUCTURE_ID, "I", *(obs[k] for k in CSV_HEADER[3:])])
    return stream.getvalue().encode("utf-8")


def _values(items: list[str]) -> list[dict[str, str]]:
    return [{"id": item, "name": item} for item in items]


def to_sdmx_json(dataset: Dataset, table: Table) -> bytes:
    """An SDMX-JSON 1.0 data message: series keyed by indexes into the dimensions' values."""
    observations = _observations(dataset, table)
    areas = sorted({o["REF_AREA"] for o in observations})
    periods = sorted({o["TIME_PERIOD"] for o in observations})
    statuses = ["A", "P"]
    series: dict[str, dict[str, object]] = {}
    for obs in observations:
        key = f"0:{areas.index(obs['REF_AREA'])}"
        entry = series.setdefault(key, {"attributes": [], "observations": {}})
        entry["observations"][str(periods.index(obs["TIME_PERIOD"]))] = [  # type: ignore[index]
            float(obs["OBS_VALUE"]),
            statuses.index(obs["OBS_STATUS"]),
        ]
    document = {
        "header": {
            "id": f"{dataset.name}-{timezone.now():%Y%m%d%H%M%S}",
            "prepared": timezone.now().isoformat(timespec="seconds"),
            "sender": {"id": AGENCY},
        },
        "structure": {
            "links": [
                {
                    "urn": f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={STRUCTURE_ID}",
                    "rel": "dataflow",
                }
            ],
            "name": dataset.title,
            "dimensions": {
                "dataSet": [],
                "series": [
                    {
                        "id": "INDICATOR",
                        "name": "Indicator",
                        "keyPosition": 0,
                        "values": [{"id": dataset.indicator_code, "name": dataset.title}],
                    },
                    {"id": "REF_AREA", "name": "Area", "keyPosition": 1, "values": _values(areas)},
                ],
                "observation": [
                    {
                        "id": "TIME_PERIOD",
                        "name": "Period",
                        "keyPosition": 2,
                        "role": "TIME_PERIOD",
                        "values": _values(periods),
                    }
                ],
            },
            "attributes": {
                "dataSet": [],
                "series": [],
                "observation": [
                    {
                        "id": "OBS_STATUS",
                        "name": "Status",
                        "relationship": {"primaryMeasure": "OBS_VALUE"},
                        "values": [
                            {"id": "A", "name": "Normal"},
                            {"id": "P", "name": "Provisional"},
                        ],
                    }
                ],
            },
        },
        "dataSets": [{"action": "Information", "series": series}],
    }
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
