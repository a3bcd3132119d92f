"""Read an uploaded .xlsx or CSV into rows of raw cells, safely. No HTTP and no database here.

Order of checks: size; kind (by content, not by name); for .xlsx, the zip directory (bomb check)
before openpyxl parses anything; then the sheet is streamed row by row and refused past the row
limit. Formulas are never evaluated: a cell holding one is reported by its address.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from lotrinh.core.archives import ZipLimits
from lotrinh.core.archives import check_zip as check_zip_directory
from lotrinh.core.errors import UserFacingError
from lotrinh.core.formatting import format_number
from lotrinh.reporting.importing.limits import (
    MAX_COLUMNS,
    MAX_COMPRESSION_RATIO,
    MAX_LINE_CHARACTERS,
    MAX_READ_ISSUES,
    MAX_ROW_CELLS,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_ZIP_MEMBERS,
    MB,
    RATIO_CHECK_FROM_BYTES,
)

DATA_SHEET = "Số liệu"
META_SHEET = "_meta"
INSTRUCTIONS_SHEET = "Hướng dẫn"
CSV_SHEET = "CSV"
META_MARK = "#lotrinh-import"
UNIT_CODE = "ma_don_vi"
UNIT_NAME = "ten_don_vi"
# .xlsx: row 1 holds the technical codes (hidden), row 2 the names people read, data from row 3.
XLSX_CODE_ROW = 1
XLSX_FIRST_DATA_ROW = 3

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode text" and some exports
XLSX_ZIP = ZipLimits(
    members=MAX_ZIP_MEMBERS,
    uncompressed_bytes=MAX_UNCOMPRESSED_BYTES,
    compression_ratio=MAX_COMPRESSION_RATIO,
    ratio_from_bytes=RATIO_CHECK_FROM_BYTES,
)


class ImportRefusedError(UserFacingError):
    """The whole file is refused (too big, not a template, wrong columns...); nothing is read further."""


@dataclass(frozen=True)
class ImportIssue:
    """One problem at one place of the file, in Vietnamese and English.

    `row` and `column` are 1-based as a spreadsheet shows them; 0 means "the whole row/file".
    """

    sheet: str
    row: int
    column: int
    code: str
    severity: str  # error | warning
    message_vi: str
    message_en: str

    @property
    def column_letter(self) -> str:
        return get_column_letter(self.column) if self.column else ""

    @property
    def where(self) -> str:
        """A cell address such as `'Số liệu'!D7`, or the row (`'Số liệu'!7`) when no column applies."""
        place = f"{self.column_letter}{self.row}" if self.row else self.column_letter
        return f"'{self.sheet}'!{place}" if place else f"'{self.sheet}'"

    def message(self, language: str) -> str:
        return self.message_en if language.startswith("en") else self.message_vi


def issue(
    sheet: str,
    row: int,
    column: int,
    code: str,
    message: object,
    severity: str = "error",
    /,
    **params: object,
) -> ImportIssue:
    """Build an issue whose message is rendered now in both languages (it outlives the request)."""
    texts = []
    for language in ("vi", "en"):
        with translation.override(language):
            text = str(message)
            texts.append(text % params if params else text)
    return ImportIssue(sheet, row, column, code, severity, texts[0], texts[1])


@dataclass
class RawRow:
    """One data row: the unit's code and name and the raw cell per data element code."""

    row: int
    unit_code: str
    unit_name: str
    values: dict[str, object]
    columns: dict[str, int]  # data element code -> 1-based column (shared by all rows)


@dataclass
class Table:
    """What was read: template metadata, the header's codes, the data rows and cell-level issues."""

    kind: str  # xlsx | csv
    sheet: str
    meta: dict[str, str] | None
    header: list[str]
    rows: list[RawRow] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    # Problems found past MAX_READ_ISSUES: counted, not listed.
    unlisted: int = 0

    def add_issue(
        self, row: int, column: int, code: str, message: object, **params: object
    ) -> None:
        """List a problem of a cell, or only count it once MAX_READ_ISSUES are listed."""
        if len(self.issues) < MAX_READ_ISSUES:
            self.issues.append(issue(self.sheet, row, column, code, message, **params))
        else:
            self.unlisted += 1


def read_upload(name: str, stream: IO[bytes], size: int) -> Table:
    """Read an uploaded file; raises ImportRefusedError when the file as a whole cannot be used.

    `size` must come from the file system or the upload handler, not from reading the stream, so
    that an oversized file is refused before a byte of it is parsed.
    """
    if size > MAX_UPLOAD_BYTES:
        raise ImportRefusedError(
            _(
                "The file is %(size)s MB; files over %(limit)s MB are refused. Split it by unit or period."
            ),
            size=f"{size / MB:.1f}",
            limit=MAX_UPLOAD_BYTES // MB,
        )
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(_ZIP_MAGIC):
        return read_xlsx(stream)
    if head.startswith(_OLE_MAGIC):
        raise ImportRefusedError(
            _(
                "This is an old .xls workbook. Save it as .xlsx (Excel Workbook) or CSV UTF-8 and upload it again."
            )
        )
    if head.startswith(_UTF16_BOMS):
        return read_csv(stream, encoding="utf-16")
    if b"\x00" in stream.read(4096) or not name.lower().endswith((".csv", ".txt")):
        raise ImportRefusedError(
            _("“%(name)s” is neither an Excel workbook (.xlsx) nor a CSV file."), name=name
        )
    stream.seek(0)
    return read_csv(stream)


def check_zip(stream: IO[bytes]) -> None:
    """Refuse a zip whose declared content is too large or too compressed (a zip bomb)."""
    try:
        with zipfile.ZipFile(stream) as archive:
            check_zip_directory(archive, XLSX_ZIP, ImportRefusedError)
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefusedError(
            _("The file is not a valid .xlsx workbook (damaged zip).")
        ) from exc
    if "xl/workbook.xml" not in names:
        raise ImportRefusedError(_("The file is a zip archive but not an Excel workbook (.xlsx)."))
    stream.seek(0)


def read_xlsx(stream: IO[bytes]) -> Table:
    check_zip(stream)
    try:
        # read_only streams the sheet; data_only=False keeps formulas as formulas, so we can refuse
        # them instead of trusting a cached result Excel may never have computed.
        book = load_workbook(stream, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise ImportRefusedError(
            _("The workbook cannot be opened (%(reason)s)."), reason=type(exc).__name__
        ) from exc
    try:
        if META_SHEET not in book.sheetnames:
            raise _not_a_template()
        if DATA_SHEET not in book.sheetnames:
            raise ImportRefusedError(
                _("The workbook has no sheet named “%(sheet)s”."), sheet=DATA_SHEET
            )
        meta = _read_meta(book[META_SHEET])
        sheet = book[DATA_SHEET]
        sheet.reset_dimensions()  # never trust (or pad to) the dimension the file declares
        return _read_grid(_xlsx_rows(sheet), "xlsx", DATA_SHEET, meta, XLSX_CODE_ROW)
    finally:
        book.close()


def _not_a_template() -> ImportRefusedError:
    return ImportRefusedError(
        _(
            "This file is not a Lộ Trình import template (its “_meta” part is missing). Download the template for the regime and period and fill it in."
        )
    )


def _read_meta(sheet: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    for row in itertools.islice(sheet.iter_rows(values_only=True), 50):
        if row and row[0] is not None:
            meta[str(row[0]).strip()] = (
                "" if len(row) < 2 or row[1] is None else str(row[1]).strip()
            )
    return meta


def _xlsx_rows(sheet: Any) -> Iterator[tuple[int, list[tuple[object, bool]]]]:
    """(row number, [(value, is_formula)...]) for each row of the sheet."""
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        yield number, [(cell.value, getattr(cell, "data_type", None) == "f") for cell in cells]


def read_csv(stream: IO[bytes], encoding: str = "utf-8-sig") -> Table:
    """Read CSV, comma- or semicolon-separated, streaming.

    UTF-8 with or without BOM; UTF-16 (which starts with a BOM) when `encoding` says so.
    """
    if not isinstance(stream, io.BufferedIOBase | io.RawIOBase):
        # Upload wrappers are not always real binary streams; the size limit bounds this copy.
        stream = io.BytesIO(stream.read())
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        lines = _bounded_lines(text)
        first = next(lines, "")
        delimiter = ";" if first.count(";") > first.count(",") else ","
        if first.count("\t") > max(first.count(";"), first.count(",")):
            delimiter = "\t"  # Excel's "Unicode text" is UTF-16 separated by tabs
        reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
        meta: dict[str, str] | None = None
        rows = _csv_rows(reader)
        peeked = next(rows, None)
        if peeked is None:
            raise ImportRefusedError(_("The file is empty."))
        if peeked[1] and str(peeked[1][0][0]).strip() == META_MARK:
            meta = dict(_meta_pair(str(value)) for value, _f in peeked[1][1:] if value)
            rest: Iterable[tuple[int, list[tuple[object, bool]]]] = rows
        else:
            rest = itertools.chain([peeked], rows)
        return _read_grid(iter(rest), "csv", CSV_SHEET, meta, None)
    except UnicodeDecodeError as exc:
        raise ImportRefusedError(
            _("The CSV file is not UTF-8 text. In Excel choose “CSV UTF-8” when saving.")
        ) from exc
    except csv.Error as exc:
        raise ImportRefusedError(
            _("The CSV file cannot be read (%(reason)s)."), reason=str(exc)
        ) from exc
    finally:
        text.detach()


def _bounded_lines(text: io.TextIOWrapper) -> Iterator[str]:
    """The file's lines, refusing the file at the first line longer than a template row can be."""
    for number, line in enumerate(text, start=1):
        if len(line) > MAX_LINE_CHARACTERS:
            raise ImportRefusedError(
                _(
                    "Line %(line)s of the CSV file is %(length)s characters long; a template row "
                    "is at most %(limit)s. Remove the cells beyond the template's columns."
                ),
                line=number,
                length=len(line),
                limit=MAX_LINE_CHARACTERS,
            )
        yield line


def _meta_pair(text: str) -> tuple[str, str]:
    key, _sep, value = text.partition("=")
    return key.strip(), value.strip()


def _csv_rows(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[tuple[object, bool]]]]:
    for number, cells in enumerate(reader, start=1):
        # Spreadsheet programs turn "=..." into a formula when the CSV is opened again: refuse it too.
        row: list[tuple[object, bool]] = [(v, v.startswith("=")) for v in cells[:MAX_COLUMNS]]
        # Past any header's width only blankness matters; pairing there runs in C.
        row.extend(zip(cells[MAX_COLUMNS:], itertools.repeat(False)))
        yield number, row


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_grid(
    rows: Iterator[tuple[int, list[tuple[object, bool]]]],
    kind: str,
    sheet: str,
    meta: dict[str, str] | None,
    code_row: int | None,
) -> Table:
    """Find the header of codes, then read data rows until the end or the row limit."""
    header_line = next(rows, None)
    if header_line is None or (code_row is not None and header_line[0] != code_row):
        raise ImportRefusedError(
            _(
                "The header row of codes is missing from sheet “%(sheet)s”. Download the template again."
            ),
            sheet=sheet,
        )
    header = [("" if v is None else str(v).strip()) for v, _f in header_line[1]]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise ImportRefusedError(
            _("The sheet has %(count)s columns; a template has at most %(limit)s."),
            count=len(header),
            limit=MAX_COLUMNS,
        )
    table = Table(kind, sheet, meta, header)
    columns = {code: index for index, code in enumerate(header, start=1) if code}
    data_rows = 0
    first_data_row = XLSX_FIRST_DATA_ROW if kind == "xlsx" else 0
    for number, cells in rows:
        if number < first_data_row or _is_comment(cells) or all(_is_blank(v) for v, _f in cells):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise ImportRefusedError(
                _(
                    "The file has more than %(limit)s rows of data (one row per unit). Split it by unit."
                ),
                limit=MAX_ROWS,
            )
        table.rows.append(_data_row(table, number, cells, columns))
    if table.unlisted:
        table.issues.append(
            issue(
                sheet,
                0,
                0,
                "more_issues",
                _(
                    "… and %(count)s more problems like the ones above (not listed). Fix those, "
                    "then upload the file again."
                ),
                # Formatted in each message's language: 12.345 / 12,345.
                count=lazy(format_number, str)(table.unlisted),
            )
        )
    return table


def _is_comment(cells: list[tuple[object, bool]]) -> bool:
    first = cells[0][0] if cells else None
    return isinstance(first, str) and first.startswith("#")


def _data_row(
    table: Table, number: int, cells: list[tuple[object, bool]], columns: dict[str, int]
) -> RawRow:
    width = len(cells)
    while width > len(table.header) and _is_blank(cells[width - 1][0]):
        width -= 1
    if width > MAX_ROW_CELLS:
        raise ImportRefusedError(
            _(
                "Row %(row)s of sheet “%(sheet)s” has %(count)s cells; a template row has at most "
                "%(limit)s. Remove the cells beyond the template's columns."
            ),
            row=number,
            sheet=table.sheet,
            count=width,
            limit=MAX_ROW_CELLS,
        )
    values: dict[str, object] = {}
    for index, (value, is_formula) in enumerate(cells[: len(table.header)], start=1):
        code = table.header[index - 1]
        if is_formula:
            table.add_issue(
                number,
                index,
                "formula",
                _("Cell %(cell)s holds a formula (%(formula)s); type the figure itself."),
                cell=f"{get_column_letter(index)}{number}",
                formula=str(value)[:60],
            )
            value = None
        values[code] = value
    outside = next(
        (i for i in range(len(table.header) + 1, width + 1) if not _is_blank(cells[i - 1][0])),
        None,
    )
    if outside is not None:
        # One problem per row, at its first such cell: a row can hold hundreds of them.
        table.add_issue(
            number,
            outside,
            "outside_columns",
            _("Cell %(cell)s is outside the template's columns; remove it."),
            cell=f"{get_column_letter(outside)}{number}",
        )
    unit_code = values.pop(UNIT_CODE, None)
    unit_name = values.pop(UNIT_NAME, None)
    return RawRow(
        number,
        "" if _is_blank(unit_code) else _unit_code_text(unit_code),
        "" if unit_name is None else str(unit_name).strip(),
        values,
        columns,
    )


def _unit_code_text(value: object) -> str:
    """Unit codes are text ("00004"); Excel may have turned one into the number 4.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
