"""Writing a dataset's table as CSV (UTF-8 with BOM), XLSX and JSON (pure; no database)."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

from openpyxl import Workbook

from lotrinh.core.formatting import plain_decimal
from lotrinh.core.spreadsheets import SafeCsvWriter, append_xlsx_row
from lotrinh.opendata.catalogue import Table

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def plain(value: object) -> object:
    """A cell as JSON and CSV carry it: dates in ISO 8601, decimals without exponent."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain_decimal(value)
    return value


def to_csv(table: Table) -> bytes:
    """CSV with a byte-order mark, so that Excel reads Vietnamese letters correctly."""
    stream = io.StringIO()
    writer = SafeCsvWriter(stream)
    writer.writerow([c.id for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if row[c.id] is None else plain(row[c.id]) for c in table.columns])
    return stream.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    append_xlsx_row(sheet, [c.id for c in table.columns])
    for row in table.rows:
        append_xlsx_row(sheet, [_xlsx_cell(row[c.id]) for c in table.columns])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _xlsx_cell(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    return value


def json_records(table: Table) -> list[dict[str, object]]:
    return [{c.id: _json_cell(row[c.id]) for c in table.columns} for row in table.rows]


def _json_cell(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def to_json(table: Table, metadata: dict[str, object]) -> bytes:
    document = {
        "metadata": metadata,
        "fields": [{"id": c.id, "type": c.type, "label": str(c.label)} for c in table.columns],
        "records": json_records(table),
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
