"""Cells of the CSV and XLSX files the product writes: text is never run as a formula.

A spreadsheet program runs a cell that starts with = + - @ (or a tab or carriage return) as a
formula, so a name typed by a user (`=HYPERLINK("http://…?d="&A2)`) could send data away when
the file is opened. Every writer goes through this module:

- CSV: such text gets a leading apostrophe (`'=HYPERLINK(…)`), which spreadsheet programs show
  as text and which a reader can strip.
- XLSX: such text is stored as a text cell marked "quote prefix", so it shows exactly as typed
  and stays text when edited.
- Numbers stay numbers: int, float and Decimal values pass unchanged (a negative figure stays a
  negative number in XLSX), and so does text that is exactly a number, such as "-3" or "-1.234,5",
  because no program reads a plain number as a formula; a lone "=" or "-" stays as it is.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")


def is_formula_like(value: object) -> bool:
    """Whether a spreadsheet program would read this cell as a formula (or a command)."""
    return (
        isinstance(value, str)
        and len(value) > 1  # a lone "=" or "-" (a comparator, "no figure") runs nothing
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    )


def csv_cell(value: object) -> object:
    """The value to write in a CSV cell: formula-like text with a leading apostrophe."""
    return f"'{value}" if is_formula_like(value) else value


def csv_row(cells: Iterable[object]) -> list[object]:
    return [csv_cell(cell) for cell in cells]


class SafeCsvWriter:
    """`csv.writer` whose every cell goes through `csv_cell`."""

    def __init__(self, stream: Any, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, cells: Iterable[object]) -> None:
        self._writer.writerow(csv_row(cells))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for cells in rows:
            self.writerow(cells)


def append_xlsx_row(sheet: Worksheet, cells: Sequence[object]) -> None:
    """Append a row to an openpyxl sheet; formula-like text is stored as quoted text."""
    sheet.append(list(cells))
    row = sheet.max_row
    for column, value in enumerate(cells, start=1):
        if is_formula_like(value):
            cell = sheet.cell(row, column)
            cell.data_type = "s"
            cell.quotePrefix = True
