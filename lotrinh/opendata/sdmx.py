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

import sdmx as sdmx_library
from django.utils import timezone
from sdmx.message import Header, StructureMessage
from sdmx.model import common, v21

from lotrinh.opendata.catalogue import Dataset, Table, sdmx_area_id

AGENCY = "LOTRINH"
DATAFLOW = "DF_INDICATORS"
VERSION = "1.0"
STRUCTURE_ID = f"{AGENCY}:{DATAFLOW}({VERSION})"
DSD = "DSD_INDICATORS"
STRUCTURE_MEDIA_TYPE = "application/vnd.sdmx.structure+xml;version=2.1"
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


def _observations(dataset: Dataset, table: Table) -> list[dict[str, str]]:
    found = []
    for row in table.rows:
        value, day = row.get("value"), row.get("period_end")
        if not isinstance(value, Decimal) or not isinstance(day, datetime.date):
            continue
        found.append(
            {
                "INDICATOR": dataset.indicator_code,
                "REF_AREA": sdmx_area_id(str(row["structure"]), str(row["unit_code"])),
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


def structure_message(indicators: dict[str, str], areas: dict[str, str]) -> bytes:
    """The data structure definition of the dataflow every SDMX download names, as an SDMX-ML 2.1
    structure message (written by sdmx1): its dataflow, concepts and the codelists of the
    published indicators and areas (code → name), so that a tool can check and label our files."""
    agency = common.Agency(id=AGENCY, name={"vi": "Lộ Trình"})

    def codelist(code: str, name: str, items: dict[str, str]) -> common.Codelist:
        found = common.Codelist(
            id=code, maintainer=agency, version=VERSION, name={"vi": name}, is_final=True
        )
        for item, label in sorted(items.items()):
            found.append(common.Code(id=item, name={"vi": label}))
        return found

    indicator_codes = codelist("CL_INDICATOR", "Chỉ số", indicators)
    area_codes = codelist("CL_AREA", "Địa bàn (cơ cấu hành chính và mã)", areas)
    statuses = codelist("CL_OBS_STATUS", "Tình trạng số liệu", {"A": "Chính thức", "P": "Tạm tính"})
    concepts = common.ConceptScheme(
        id="CS_INDICATORS", maintainer=agency, version=VERSION, name={"vi": "Khái niệm"}
    )
    for concept, label in (
        ("INDICATOR", "Chỉ số"),
        ("REF_AREA", "Địa bàn"),
        ("TIME_PERIOD", "Ngày cuối kỳ"),
        ("OBS_VALUE", "Giá trị"),
        ("UNIT_MEASURE", "Đơn vị tính"),
        ("OBS_STATUS", "Tình trạng số liệu"),
    ):
        concepts.append(common.Concept(id=concept, name={"vi": label}))
    structure = v21.DataStructureDefinition(
        id=DSD, maintainer=agency, version=VERSION, name={"vi": "Chỉ số theo địa bàn"}
    )
    for dimension, codes in (("INDICATOR", indicator_codes), ("REF_AREA", area_codes)):
        structure.dimensions.getdefault(
            dimension,
            concept_identity=concepts[dimension],
            local_representation=common.Representation(enumerated=codes),
        )
    structure.dimensions.getdefault(
        "TIME_PERIOD", cls=v21.TimeDimension, concept_identity=concepts["TIME_PERIOD"]
    )
    structure.measures.getdefault("OBS_VALUE", concept_identity=concepts["OBS_VALUE"])
    attributes: list[tuple[str, common.Codelist | None]] = [
        ("UNIT_MEASURE", None),
        ("OBS_STATUS", statuses),
    ]
    for attribute, values in attributes:
        structure.attributes.getdefault(
            attribute,
            concept_identity=concepts[attribute],
            local_representation=common.Representation(enumerated=values) if values else None,
            related_to=v21.PrimaryMeasureRelationship(),
        )
    flow = v21.DataflowDefinition(
        id=DATAFLOW,
        maintainer=agency,
        version=VERSION,
        name={"vi": "Chỉ số chuyển đổi số đã công bố"},
        structure=structure,
    )
    message = StructureMessage(header=Header(id="STRUCTURE_OF_LOTRINH", sender=agency))
    for artefact in (indicator_codes, area_codes, statuses, concepts, structure, flow):
        message.add(artefact)
    body: bytes = sdmx_library.to_xml(message, pretty_print=True)
    return body
