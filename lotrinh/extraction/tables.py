"""Read indicator tables: one target per value cell of a row such as `| 8 | Tên | % | ≥ 55 | Sở |`.

Plans and resolutions often list their targets in a table rather than in sentences. A table is a
run of consecutive table rows (see `segments.is_table_row`), written with "|" between cells
(Markdown, text copied from Word) or with tabs. Its columns are recognised by their header:

- the indicator's name: "Chỉ tiêu", "Nội dung", "Tên chỉ tiêu", "Chỉ số";
- its unit: "Đơn vị tính", "ĐVT", "Đơn vị" (but not "Đơn vị chủ trì");
- value columns: a header with a year ("Năm 2026", "Mục tiêu đến 2030") or the words
  "Mục tiêu", "Chỉ tiêu", "Kế hoạch" — one target per filled cell;
- columns whose figures are not targets: "Thực hiện", "Hiện trạng", "Kết quả", "Ước", "Năm gốc";
- everything else (STT, agency, notes) is ignored.

A table without a header row is read by the shape of its cells: the longest text cell is the
name, a short cell right after it is the unit, and the cells that hold only a value (≥ 55, 100,
Top 10, 25 - 30) are values. The year of a value column without a year comes from the caption
or lead-in right above the table, else from the section (`Block.section_year`).

A cell's value may carry a comparator: "≥", ">=", "≤", "<=", ">" (strict floor), "<", "~",
"khoảng", "tối thiểu", "trên", "Top N" / "nhóm N" (a rank, at most N). A range "25 - 30" gives
`value` and `value_max`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from lotrinh.core.text import collapse_whitespace
from lotrinh.extraction.numbers import DIGITS, parse_digits
from lotrinh.extraction.rules import NOUN_ALTERNATION, NOUN_UNITS
from lotrinh.extraction.segments import Block, deadline_years

_I = re.IGNORECASE
_NAME_HEADER = re.compile(r"^(?:tên\s+)?(?:chỉ\s+tiêu|nội\s+dung|chỉ\s+số|tiêu\s+chí)(?!\s*\d)", _I)
_UNIT_HEADER = re.compile(r"^(?:đơn\s+vị(?:\s+tính)?|đvt)$", _I)
_NOT_TARGET_HEADER = re.compile(
    r"thực\s+hiện|hiện\s+trạng|kết\s+quả|ước(?:\s|$)|năm\s+gốc|cơ\s+sở|đạt\s+được|"
    r"cơ\s+quan|chủ\s+trì|phối\s+hợp|ghi\s+chú|stt|^tt$|lộ\s+trình",
    _I,
)
_VALUE_HEADER = re.compile(r"20\d\d|mục\s+tiêu|chỉ\s+tiêu|kế\s+hoạch|giá\s+trị", _I)
_HEADER_YEAR = re.compile(r"(?<![\d/.-])(20\d\d)(?![\d/])")
_CELL_VALUE = re.compile(
    rf"^(?P<cmp>≥|>=|≤|<=|>|<|~|≈|khoảng|tối\s+thiểu|ít\s+nhất|trên|hơn|dưới|tối\s+đa|top|tốp|nhóm)?"
    rf"\s*(?P<num>{DIGITS})\s*%?\s*(?:(?:-|–|—|đến)\s*(?P<high>{DIGITS})\s*%?)?\s*$",
    _I,
)
_RANK_UNIT = re.compile(r"^(?:thứ\s+hạng|xếp\s+hạng|thứ\s+bậc|hạng|bậc|vị\s+trí|rank)$", _I)
# "%", "% GDP", and a percentage of something else ("% dân số", "%/năm", "% tổng chi NSNN").
_PERCENT_UNIT = re.compile(r"^%\s*(?:(?P<base>GRDP|GDP)(?!\w))?", _I)
# A value with a comparator sign followed by words: "≤ 4 Châu Á", "≥ 2% và tăng dần".
_LEADING_VALUE = re.compile(rf"^(?:≥|>=|≤|<=|>|<)\s*{DIGITS}\s*%?(?=\s+[^\W\d])", _I)
# A task table's deadline column ("Thời gian hoàn thành", "Thời hạn", "Tiến độ") and a cell of it
# that names one year ("2030", "12/2025", "Quý IV/2026"); "Hằng năm" and "Thường xuyên" name none.
_DEADLINE_HEADER = re.compile(
    r"^(?:thời\s+(?:gian|hạn|điểm)|tiến\s+độ|hạn\s+hoàn\s+thành|năm\s+(?:hoàn\s+thành|đạt))", _I
)
_DEADLINE_CELL = re.compile(r"^(?:(?:quý\s+[IV]{1,3}|\d{1,2})\s*/\s*)?(?:năm\s+)?(20\d\d)\.?$", _I)
_INDEX = re.compile(r"^\s*(?:[IVX]{1,5}|\d{1,3}(?:\.\d{1,2})*|[a-zđ])[.)]?\s*$", _I)
MAX_UNIT_WORDS = 5


@dataclass(frozen=True)
class Cell:
    """A table cell's text and its offsets in the block's text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class CellTarget:
    """A target read from one table cell, before it becomes a ProposedTarget."""

    block: Block
    name: str
    name_cell: Cell
    value: Decimal
    value_max: Decimal | None
    unit: str
    comparator: str
    strict: bool
    year: int | None
    year_source: str
    rule: str
    # Where the year is stated: the column heading, a heading row, the caption, the section's
    # heading or the document's title (offsets in the document).
    year_span: tuple[int, int] | None = None


@dataclass
class _Columns:
    name: int | None = None
    unit: int | None = None
    # (column, year from its header, where the header cell is in the document)
    values: tuple[tuple[int, int | None, tuple[int, int] | None], ...] = ()
    deadline: int | None = None  # a column of each row's deadline ("Năm hoàn thành")


def cells(text: str) -> list[Cell]:
    """Split a row into cells with their offsets (leading and trailing "|" dropped)."""
    separator = "|" if text.lstrip().startswith("|") else "\t"
    found, position = [], 0
    for part in text.split(separator):
        start = position + len(part) - len(part.lstrip())
        found.append(Cell(part.strip(), start, start + len(part.strip())))
        position += len(part) + 1
    if separator == "|":
        found = found[1:-1] if text.rstrip().endswith("|") else found[1:]
    return found


def parse_values(cell: str) -> list[tuple[Decimal, Decimal | None, str, bool, bool]]:
    """Every value of a cell: one ("≥ 55"), or several ("≤ 4 Châu Á; ≤ 40 Thế giới")."""
    found = []
    for part in cell.split(";"):
        parsed = parse_value(part)
        if parsed is None:
            leading = _LEADING_VALUE.match(part.strip())
            parsed = parse_value(leading.group()) if leading else None
        if parsed is not None:
            found.append(parsed)
    return found


def parse_value(cell: str) -> tuple[Decimal, Decimal | None, str, bool, bool] | None:
    """(value, value_max, comparator, strict, is_rank) for a value cell such as "≥ 55", or None."""
    match = _CELL_VALUE.match(cell.strip())
    if not match:
        return None
    value = parse_digits(match.group("num"))
    high = parse_digits(match.group("high")) if match.group("high") else None
    if value is None or (match.group("high") and (high is None or high <= value)):
        return None
    word = (match.group("cmp") or "").lower()
    if word in {"top", "tốp", "nhóm"}:
        return value, None, "<=", False, True
    if high is not None:
        return value, high, "=", False, False
    comparator, strict = {
        "≥": (">=", False), ">=": (">=", False), "tối thiểu": (">=", False),
        "ít nhất": (">=", False), ">": (">=", True), "trên": (">=", True), "hơn": (">=", True),
        "≤": ("<=", False), "<=": ("<=", False), "<": ("<=", False), "dưới": ("<=", False),
        "tối đa": ("<=", False), "~": ("~", False), "≈": ("~", False), "khoảng": ("~", False),
    }.get(collapse_whitespace(word), ("=", False))  # fmt: skip
    return value, None, comparator, strict, False


def _is_header(row: list[Cell]) -> bool:
    texts = [cell.text for cell in row if cell.text]
    # A numbered row ("| 11 | Chỉ tiêu về thủ tục hành chính … | | |") is a group of data rows,
    # however its text begins: headers are never numbered.
    return (
        bool(texts)
        and not _INDEX.match(texts[0].strip("*_ "))
        and not any(parse_value(text) for text in texts[1:])
        and any(
            _NAME_HEADER.match(text) or _UNIT_HEADER.match(text) or text.lower() in {"stt", "tt"}
            for text in texts
        )
    )


def _columns_from_header(header: list[Cell], at: int) -> _Columns:
    """The columns a header row names; `at` is where the row starts in the document."""
    columns = _Columns()
    values: list[tuple[int, int | None, tuple[int, int] | None]] = []
    for index, cell in enumerate(header):
        text = collapse_whitespace(cell.text)
        if columns.name is None and _NAME_HEADER.match(text) and not _HEADER_YEAR.search(text):
            columns.name = index
        elif columns.unit is None and _UNIT_HEADER.match(text):
            columns.unit = index
        elif columns.deadline is None and _DEADLINE_HEADER.match(text):
            columns.deadline = index
        elif _NOT_TARGET_HEADER.search(text):
            continue
        elif _VALUE_HEADER.search(text):
            years = _HEADER_YEAR.findall(text)
            span = (at + cell.start, at + cell.end)
            values.append((index, int(years[-1]) if years else None, span))
    columns.values = tuple(values)
    return columns


def _columns_from_shape(row: list[Cell]) -> _Columns:
    """Guess the columns of a row without a header: name, unit right after it, then values."""
    texts = [cell.text for cell in row]
    candidates = [
        i for i, text in enumerate(texts) if not parse_value(text) and not _INDEX.match(text)
    ]
    if not candidates:
        return _Columns()
    name = max(candidates, key=lambda i: len(texts[i]))
    columns = _Columns(name=name)
    index = name + 1
    if index < len(texts) and not parse_value(texts[index]):
        if len(texts[index].split()) <= MAX_UNIT_WORDS:
            columns.unit = index
        index += 1
    values: list[tuple[int, int | None, tuple[int, int] | None]] = []
    while index < len(texts) and parse_value(texts[index]):
        values.append((index, None, None))
        index += 1
    columns.values = tuple(values)
    return columns


def _values_by_shape(header: _Columns, row: list[Cell]) -> _Columns:
    """The header's name and unit columns, with the value cells that follow them in this row
    (a header such as "Kết quả" names no value column, but its cells hold the targets)."""
    assert header.name is not None
    index = max(header.name, header.unit if header.unit is not None else -1) + 1
    values: list[tuple[int, int | None, tuple[int, int] | None]] = []
    while index < len(row) and index != header.deadline and parse_values(row[index].text):
        values.append((index, None, None))
        index += 1
    return _Columns(header.name, header.unit, tuple(values), header.deadline)


_QUALIFIED_NOUN = re.compile(
    rf"(?P<noun>{NOUN_ALTERNATION})\s+(?:quốc\s+gia|quốc\s+tế|khu\s+vực|vùng|chuyên\s+ngành"
    r"|dùng\s+chung|cấp\s+(?:bộ|tỉnh|huyện|xã))",
    _I,
)


def _unit(unit_text: str, name: str, is_rank: bool) -> str:
    # "Số doanh nghiệp/1000 dân" is recorded as "doanh nghiệp/1.000 dân".
    unit = re.sub(r"^số\s+", "", collapse_whitespace(unit_text), flags=_I)
    unit = re.sub(r"(?<=/)(\d)(\d{3})(?!\d)", r"\1.\2", unit)
    if is_rank or _RANK_UNIT.match(unit):
        return "rank"
    percent = _PERCENT_UNIT.match(unit)
    if percent:
        if percent.group("base"):
            return f"%{percent.group('base').upper()}"
        return "%GRDP" if re.search(r"(?<!\w)GRDP(?!\w)", name) else "%"
    if re.match(r"chỉ\s+số(?!\w)", unit, _I):
        return "chỉ số"  # an index's own value, however the unit column names the index
    qualified = _QUALIFIED_NOUN.fullmatch(unit)
    if qualified:
        # "Trung tâm dữ liệu quốc gia" counts data centres: the unit is the counted noun.
        return NOUN_UNITS[qualified["noun"].casefold()]
    if unit:
        return unit
    if re.match(r"(?:tỷ\s+lệ|tỷ\s+trọng)", name, _I):
        return "%"
    if re.match(r"(?:thứ\s+hạng|xếp\s+hạng)", name, _I):
        return "rank"
    return "chỉ số" if re.match(r"chỉ\s+số", name, _I) else ""


def table_year(caption: Block | None) -> int | None:
    """The one deadline year of a table's caption or lead-in ("Bảng 2. Chỉ tiêu … đến năm 2030")."""
    if caption is None or caption.is_table_row:
        return None
    years = {year for _, _, year in deadline_years(caption.text)}
    if len(years) != 1:
        years = {year for _, _, year in deadline_years(caption.text, horizons=True)}
    return years.pop() if len(years) == 1 else None


YearAt = tuple[int | None, tuple[int, int] | None]  # a year, and where the document states it


def read_table(
    rows: list[Block],
    caption: Block | None,
    fallback: tuple[int, tuple[int, int] | None] | None = None,
) -> list[CellTarget]:
    """Return one CellTarget per filled value cell of a table's rows.

    A value column's year comes from its header, else the caption, else the row's section, else
    `fallback` (the year of the document's title, or the deadline it names most often, with
    where it is stated): an indicator annex states the document's own targets.
    """
    if not rows:
        return []
    parsed = [cells(row.text) for row in rows]
    header_columns: _Columns | None = None
    caption_year = table_year(caption)
    caption_at: YearAt = (caption_year, (caption.start, caption.end) if caption else None)
    section_row: YearAt = (None, None)
    found: list[CellTarget] = []
    for row, row_cells in zip(rows, parsed, strict=True):
        if row.in_baseline_section:
            continue
        if _is_header(row_cells):
            header_columns = _columns_from_header(row_cells, row.start)
            continue
        heading_year = _section_row_year(row_cells)
        if heading_year is not None:
            section_row = (heading_year, (row.start, row.end))
            continue
        columns = header_columns
        if columns is not None and columns.name is not None and not columns.values:
            columns = _values_by_shape(columns, row_cells)
        if columns is None or columns.name is None or not columns.values:
            columns = _columns_from_shape(row_cells)
        if columns.name is None or columns.name >= len(row_cells):
            continue
        name_cell = row_cells[columns.name]
        name = collapse_whitespace(name_cell.text)
        if not re.search(r"[^\W\d]{2}", name):
            continue
        unit_text = (
            row_cells[columns.unit].text
            if columns.unit is not None and columns.unit < len(row_cells)
            else ""
        )
        years = (
            section_row,
            caption_at,
            (row.section_year, row.year_span),
            fallback or (None, None),
        )
        found.extend(_row_targets(row, row_cells, columns, name, unit_text, years))
    return found


def _section_row_year(row: list[Cell]) -> int | None:
    """The year of a row that heads a part of the table ("| II | Đến năm 2045 | | |"), or None."""
    texts = [cell.text.strip("*_ ") for cell in row if cell.text.strip("*_ ")]
    if not texts or len(texts) > 2 or any(parse_value(text) for text in texts):
        return None
    years = {year for _, _, year in deadline_years(texts[-1])}
    return years.pop() if len(years) == 1 else None


def row_deadlines(rows: list[Block]) -> list[tuple[int, tuple[int, int]] | None]:
    """The year in each row's deadline cell, for a table whose header names a deadline column.

    A task annex ("| Tên nhiệm vụ | … | Kết quả | Thời gian hoàn thành |") states a result such as
    "Ít nhất 10 cơ sở được thành lập" whose year is the row's deadline, not in its sentence.
    """
    found: list[tuple[int, tuple[int, int]] | None] = []
    column: int | None = None
    for row in rows:
        row_cells = cells(row.text)
        if _is_header(row_cells):
            column = next(
                (
                    i
                    for i, cell in enumerate(row_cells)
                    if _DEADLINE_HEADER.match(collapse_whitespace(cell.text))
                ),
                None,
            )
            found.append(None)
            continue
        year, span = _row_deadline(row, row_cells, column)
        found.append((year, span) if year is not None and span is not None else None)
    return found


def is_header_like(text: str) -> bool:
    """True for a header row or a row without any letters worth reading as a sentence."""
    row = cells(text)
    return _is_header(row) or not any(len(cell.text.split()) >= 4 for cell in row)


_YEAR_RULES = (
    "table-cell+table-section-year",
    "table-cell+caption-year",
    "table-cell+section-year",
    "table-cell+document-year",
)


def _row_deadline(
    row: Block, row_cells: list[Cell], column: int | None
) -> tuple[int | None, tuple[int, int] | None]:
    """The year of the row's cell in the deadline column ("2027", "6/2027", "Quý II/2027")."""
    if column is None or column >= len(row_cells):
        return None, None
    cell = row_cells[column]
    match = _DEADLINE_CELL.match(collapse_whitespace(cell.text))
    if match is None:
        return None, None
    return int(match.group(1)), (row.start + cell.start, row.start + cell.end)


def _row_targets(
    row: Block,
    row_cells: list[Cell],
    columns: _Columns,
    name: str,
    unit_text: str,
    years: tuple[YearAt, YearAt, YearAt, YearAt],
) -> list[CellTarget]:
    """One target per value of a row's value cells; `years` are the table section's, caption's,
    section's and document's years, in that order of preference."""
    assert columns.name is not None
    found = []
    for column, header_year, header_span in columns.values:
        if column >= len(row_cells):
            continue
        for value, value_max, comparator, strict, is_rank in parse_values(row_cells[column].text):
            unit = _unit(unit_text, name, is_rank)
            if unit == "rank":
                comparator, strict = "<=", False
            year, span, rule = header_year, header_span, "table-cell+header-year"
            if year is None:
                year, span = _row_deadline(row, row_cells, columns.deadline)
                rule = "table-cell+row-deadline"
            if year is None:
                year, span, rule = next(
                    (
                        (year, span, rule)
                        for (year, span), rule in zip(years, _YEAR_RULES, strict=True)
                        if year
                    ),
                    (None, None, "table-cell"),
                )
            found.append(
                CellTarget(
                    row, name, row_cells[columns.name], value, value_max, unit, comparator,
                    strict, year, "section" if year is not None else "none", rule, span,
                )
            )  # fmt: skip
    return found
