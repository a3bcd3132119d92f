"""Build the import template (.xlsx) and its CSV twin from plain data. No HTTP and no database.

Layout of sheet "Số liệu": row 1 (hidden) holds the technical codes the import reads, row 2 the
names people read, then one row per unit with its current figures. A hidden "_meta" sheet (the CSV's
first line) names the regime, period, structure and template version, so a wrong file is detected.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from lotrinh.core.formatting import decimal_comma
from lotrinh.core.spreadsheets import SafeCsvWriter, append_xlsx_row
from lotrinh.reporting.importing.reading import (
    DATA_SHEET,
    INSTRUCTIONS_SHEET,
    META_MARK,
    META_SHEET,
    UNIT_CODE,
    UNIT_NAME,
    XLSX_FIRST_DATA_ROW,
)

TEMPLATE_VERSION = "1"


@dataclass(frozen=True)
class TemplateField:
    code: str
    name: str
    help_text: str


@dataclass(frozen=True)
class TemplateRow:
    unit_code: str
    unit_name: str
    values: dict[str, Decimal | None]
    # Codes of the fields only other tiers' units report: greyed, to be left empty.
    not_reported: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TemplateSpec:
    regime_code: str
    regime_name: str
    period_code: str
    structure: str
    fields: list[TemplateField]
    rows: list[TemplateRow]
    instructions: list[str]

    def meta(self) -> list[tuple[str, str]]:
        return [
            ("template_version", TEMPLATE_VERSION),
            ("regime", self.regime_code),
            ("period", self.period_code),
            ("structure", self.structure),
            ("fields", ",".join(f.code for f in self.fields)),
        ]


def _cell_value(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def build_xlsx(spec: TemplateSpec) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = DATA_SHEET
    codes = [UNIT_CODE, UNIT_NAME, *(f.code for f in spec.fields)]
    names = ["Mã đơn vị", "Tên đơn vị", *(f.name for f in spec.fields)]
    append_xlsx_row(sheet, codes)
    append_xlsx_row(sheet, names)
    sheet.row_dimensions[1].hidden = True
    bold, shaded = Font(bold=True), PatternFill("solid", fgColor="E8EEF4")
    greyed = PatternFill("solid", fgColor="BFBFBF")
    for cell in sheet[2]:
        cell.font, cell.fill = bold, shaded
    for number, row in enumerate(spec.rows, start=XLSX_FIRST_DATA_ROW):
        append_xlsx_row(
            sheet,
            [
                row.unit_code,
                row.unit_name,
                *(_cell_value(row.values.get(f.code)) for f in spec.fields),
            ],
        )
        for index, field in enumerate(spec.fields, start=3):
            if field.code in row.not_reported:
                sheet.cell(number, index).fill = greyed
    for number in range(XLSX_FIRST_DATA_ROW, XLSX_FIRST_DATA_ROW + len(spec.rows)):
        # Unit codes keep their leading zeros ("00004"): store and show them as text.
        sheet.cell(number, 1).number_format = "@"
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 36
    for index in range(3, len(codes) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.freeze_panes = f"C{XLSX_FIRST_DATA_ROW}"

    guide = book.create_sheet(INSTRUCTIONS_SHEET)
    for line in spec.instructions:
        append_xlsx_row(guide, [line])
    guide.append([])
    for field in spec.fields:
        append_xlsx_row(guide, [field.code, field.name, field.help_text])
    guide.column_dimensions["A"].width = 40

    meta = book.create_sheet(META_SHEET)
    for key, value in spec.meta():
        append_xlsx_row(meta, [key, value])
    meta.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_csv(spec: TemplateSpec, delimiter: str = ",") -> str:
    """The same template as CSV: a meta line, the codes, a names line (starting with #), the rows."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(
        [META_MARK, *(f"{key}={value}" for key, value in spec.meta() if key != "fields")]
    )
    writer.writerow([UNIT_CODE, UNIT_NAME, *(f.code for f in spec.fields)])
    writer.writerow(["# Mã đơn vị", "Tên đơn vị", *(f.name for f in spec.fields)])
    for row in spec.rows:
        writer.writerow(
            [
                row.unit_code,
                row.unit_name,
                *(_csv_value(row.values.get(f.code)) for f in spec.fields),
            ]
        )
    return out.getvalue()


def _csv_value(value: Decimal | None) -> str:
    return decimal_comma(value)
