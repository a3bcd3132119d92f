"""Reading files safely: size, kind, zip bombs, CSV dialects, formulas, the row limit. No database."""

import csv
import io
import zipfile
from dataclasses import replace

import pytest
from openpyxl import Workbook

from lotrinh.reporting.importing import reading
from lotrinh.reporting.importing.limits import (
    MAX_LINE_CHARACTERS,
    MAX_READ_ISSUES,
    MAX_ROW_CELLS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    MB,
)
from lotrinh.reporting.importing.reading import ImportRefusedError, read_upload


class UnreadableStream(io.BytesIO):
    """A stream that fails if anything reads it: proves a check happens before reading."""

    def read(self, *args, **kwargs):
        raise AssertionError("the file was read")


def read(data: bytes, name: str = "x.xlsx"):
    return read_upload(name, io.BytesIO(data), len(data))


def refused(data: bytes, name: str = "x.xlsx") -> ImportRefusedError:
    with pytest.raises(ImportRefusedError) as caught:
        read(data, name)
    return caught.value


def workbook_bytes(rows, meta=(("template_version", "1"),), sheet="Số liệu") -> bytes:
    book = Workbook()
    data = book.active
    data.title = sheet
    for row in rows:
        data.append(row)
    if meta is not None:
        meta_sheet = book.create_sheet("_meta")
        for pair in meta:
            meta_sheet.append(list(pair))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_60_mb_file_is_refused_before_a_byte_is_read():
    with pytest.raises(ImportRefusedError) as caught:
        read_upload("big.xlsx", UnreadableStream(), 60 * MB)
    assert "60.0 MB" in caught.value.text("en") and "20 MB" in caught.value.text("en")
    assert MAX_UPLOAD_BYTES == 20 * MB


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_openpyxl_opens_it(monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * MB))
    monkeypatch.setattr(reading, "load_workbook", lambda *a, **k: pytest.fail("openpyxl opened it"))
    error = refused(out.getvalue())
    assert "zip bomb" in error.text("en") and "xl/worksheets/sheet1.xml" in error.text("en")


def test_a_workbook_that_would_unpack_too_big_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "XLSX_ZIP", replace(reading.XLSX_ZIP, uncompressed_bytes=10_000))
    error = refused(workbook_bytes([["ma_don_vi"]] + [[str(i) * 40] for i in range(500)]))
    assert "Unpacked" in error.text("en")


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "photo.png", "neither an Excel workbook"),
        (b"%PDF-1.4 hello", "report.xlsx", "neither an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls", "old .xls workbook"),
        (b"abc\0def,1\n", "data.csv", "neither an Excel workbook"),
        (b"PK\x03\x04 not really a zip", "fake.xlsx", "not a valid .xlsx"),
        (
            "ma,ten\n1,Xã Ân\n".encode("latin-1", "replace").replace(b"?", b"\xe2"),
            "data.csv",
            "not UTF-8",
        ),
    ],
)
def test_a_file_that_is_not_xlsx_or_csv_is_refused(data, name, expected):
    assert expected in refused(data, name).text("en")


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "not an Excel workbook" in refused(out.getvalue()).text("en")


def test_a_workbook_without_meta_is_not_a_template():
    error = refused(workbook_bytes([["ma_don_vi", "ten_don_vi"]], meta=None))
    assert "_meta" in error.text("en") and error.text("vi")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_is_read_with_or_without_bom_and_with_comma_or_semicolon(bom, delimiter):
    lines = [
        ["#lotrinh-import", "template_version=1", "regime=r", "period=2025Q3"],
        ["ma_don_vi", "ten_don_vi", "tong"],
        ["# Mã", "Tên", "Tổng"],
        ["00004", "Xã Ấn Hảo", "1.234" if delimiter == "," else "7,5"],
    ]
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(lines)
    table = read(bom + text.getvalue().encode(), "số liệu.csv")
    assert table.meta == {"template_version": "1", "regime": "r", "period": "2025Q3"}
    assert table.header == ["ma_don_vi", "ten_don_vi", "tong"]
    [row] = table.rows
    assert (row.unit_code, row.unit_name, row.values) == (
        "00004",
        "Xã Ấn Hảo",
        {"tong": "1.234" if delimiter == "," else "7,5"},
    )


def test_formulas_are_refused_by_cell_and_not_evaluated():
    data = workbook_bytes(
        [
            ["ma_don_vi", "ten_don_vi", "tong", "dien_tu"],
            ["Mã", "Tên", "Tổng", "Điện tử"],
            ["00004", "Xã A", 10, "=C3*2"],
        ]
    )
    table = read(data)
    [problem] = table.issues
    assert (problem.code, problem.where, problem.column_letter) == ("formula", "'Số liệu'!D3", "D")
    assert "D3" in problem.message_en and "=C3*2" in problem.message_en
    assert table.rows[0].values["dien_tu"] is None


def test_a_csv_cell_starting_with_equals_is_refused_as_a_formula():
    table = read(b"ma_don_vi,ten_don_vi,tong\n1,A,=1+1\n", "a.csv")
    assert [(i.code, i.where) for i in table.issues] == [("formula", "'CSV'!C2")]


def test_a_figure_outside_the_header_columns_is_reported():
    table = read(b"ma_don_vi,ten_don_vi,tong\n1,A,3,99\n", "a.csv")
    assert [(i.code, i.where) for i in table.issues] == [("outside_columns", "'CSV'!D2")]


def test_100000_csv_rows_are_refused_at_the_row_limit():
    body = "".join(f"{i:05d},Xã {i},{i}\n" for i in range(100_000))
    data = ("ma_don_vi,ten_don_vi,tong\n" + body).encode()
    error = refused(data, "big.csv")
    assert f"{MAX_ROWS:,}".replace(",", "") in error.text("en").replace(",", "")


def test_100000_xlsx_rows_are_refused_at_the_row_limit():
    # Write the sheet's XML directly: openpyxl would take seconds to produce 100,000 rows.
    template = workbook_bytes([["ma_don_vi", "ten_don_vi", "tong"]])
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{n:05d}</t></is></c><c r="C{n}"><v>{n}</v></c></row>'
        for n in range(1, 100_001)
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = (
                sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            )
            target.writestr(item.filename, data)
    assert "rows of data" in refused(out.getvalue()).text("en")


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_a_utf16_csv_is_read_like_a_utf8_one(delimiter):
    lines = ["ma_don_vi", "ten_don_vi", "tong"], ["00004", "Xã Ấn Hảo", "1.234"]
    data = "\r\n".join(delimiter.join(line) for line in lines).encode("utf-16")
    table = read(data, "xuat-tu-excel.csv")
    assert table.header == ["ma_don_vi", "ten_don_vi", "tong"]
    assert [(r.unit_code, r.unit_name, r.values) for r in table.rows] == [
        ("00004", "Xã Ấn Hảo", {"tong": "1.234"})
    ]


def test_a_csv_row_wider_than_any_template_is_refused_with_its_row():
    # 18,279 cells: one more than spreadsheet column letters reach (ZZZ).
    row = "00004,Xã A," + ",".join(["1"] * 18_277)
    error = refused(f"ma_don_vi,ten_don_vi,tong\n{row}\n".encode(), "rong.csv")
    assert "Row 2 of sheet “CSV” has 18279 cells" in error.text("en")
    assert f"at most {MAX_ROW_CELLS}" in error.text("en")


def test_a_row_at_the_cell_limit_and_trailing_blank_cells_are_read():
    at_limit = "00004,Xã A,1" + "," * (MAX_ROW_CELLS - 4) + ",9"
    blank_tail = "00005,Xã B,2" + "," * 5_000
    table = read(f"ma_don_vi,ten_don_vi,tong\n{at_limit}\n{blank_tail}\n".encode(), "a.csv")
    assert [(i.code, i.where) for i in table.issues] == [("outside_columns", "'CSV'!ALL2")]
    assert [r.unit_code for r in table.rows] == ["00004", "00005"]


def test_a_csv_line_longer_than_a_template_row_is_refused_before_it_is_split():
    line = "00004,Xã A," + "9" * MAX_LINE_CHARACTERS
    error = refused(f"ma_don_vi,ten_don_vi,tong\n{line}\n".encode(), "dai.csv")
    assert "Line 2 of the CSV file" in error.text("en")


def test_problems_past_the_listed_number_are_counted_not_listed():
    rows = "".join(f"{i:05d},Xã {i},1,=1+1,5\n" for i in range(MAX_READ_ISSUES + 1_000))
    table = read(f"ma_don_vi,ten_don_vi,tong,dien_tu\n{rows}".encode(), "nhieu-loi.csv")
    assert len(table.issues) == MAX_READ_ISSUES + 1
    summary = table.issues[-1]
    assert summary.code == "more_issues" and summary.severity == "error"
    # Two problems per row (a formula, a cell outside the columns), 200 of them listed.
    unlisted = 2 * (MAX_READ_ISSUES + 1_000) - MAX_READ_ISSUES
    assert f"and {unlisted:,} more" in summary.message_en
    assert f"và {unlisted:,} lỗi khác".replace(",", ".") in summary.message_vi
