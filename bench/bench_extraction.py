"""Benchmark: target extraction throughput (KB/s) on the five sample documents, vs a naive scan;
then the worst case of each bounded input.

The five documents are repeated until the corpus is at least 2 MB, then `extract_targets` runs
over each copy. The baseline, measured in the same run on the same text, is one regular
expression that finds numbers followed by "%" (what a spreadsheet macro would do). The goal in
issue 4 is at least 200 KB/s for the extractor.

Worst cases (`worst_cases`): dense target-like text at 46,800 characters and at the character
limit, a .docx nested 5,000,000 deep, a PDF stream inflating past pypdf's limit, and import CSVs
at the size limit full of cells outside the columns or one row of 18,279 cells. Each prints its
time beside a baseline on the same bytes in the same run (the naive regex, or Python's own
`csv.reader`).
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from lotrinh.core.errors import UserFacingError  # noqa: E402
from lotrinh.extraction.documents import read_document  # noqa: E402
from lotrinh.extraction.limits import current_limits  # noqa: E402
from lotrinh.extraction.parsing import extract_document, extract_targets  # noqa: E402
from lotrinh.extraction.tests.test_bounds import pdf_with_stream  # noqa: E402
from lotrinh.reporting.importing.limits import MAX_UPLOAD_BYTES  # noqa: E402
from lotrinh.reporting.importing.reading import read_upload  # noqa: E402

PROGRAMMES = ROOT / "lotrinh" / "sample_data" / "programmes"
NAMES = ("binh-dinh", "ben-tre", "hoa-binh", "phu-yen", "bac-giang")
TARGET_BYTES = 2 * 1024 * 1024
NAIVE = re.compile(r"\d+(?:[.,]\d+)?\s?%")


def corpus() -> list[str]:
    documents = [(PROGRAMMES / f"{name}.txt").read_text(encoding="utf-8") for name in NAMES]
    copies: list[str] = []
    size = 0
    while size < TARGET_BYTES:
        for document in documents:
            copies.append(document)
            size += len(document.encode("utf-8"))
    return copies


def main() -> None:
    copies = corpus()
    kilobytes = sum(len(text.encode("utf-8")) for text in copies) / 1024
    started = time.perf_counter()
    targets = sum(len(extract_targets(text)) for text in copies)
    extract_s = time.perf_counter() - started
    started = time.perf_counter()
    naive = sum(len(NAIVE.findall(text)) for text in copies)
    naive_s = time.perf_counter() - started
    rate, naive_rate = kilobytes / extract_s, kilobytes / naive_s
    print(
        f"corpus {kilobytes:,.0f} KB in {len(copies)} documents | extract_targets {rate:,.0f} KB/s "
        f"({targets} targets) | naive %-regex {naive_rate:,.0f} KB/s ({naive} matches) | "
        f"naive/extractor = {naive_rate / rate:.1f}x | goal 200 KB/s: "
        f"{'met' if rate >= 200 else 'NOT met'}"
    )


DENSE_UNIT = (
    "đến năm 2025 đạt 90% hồ sơ cấp tỉnh, 80% cấp huyện (mục tiêu năm 2030 lần lượt là 100%, "
    "95%), 02 trung tâm dữ liệu, thứ hạng 30/63 về chỉ số PAPI, "
)


def _timed(action: Callable[[], object]) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        outcome = action()
    except UserFacingError as error:
        outcome = "refused: " + error.text("en")[:70]
    return time.perf_counter() - started, str(outcome)[:80]


def _report(name: str, action: Callable[[], object], baseline: Callable[[], object]) -> None:
    seconds, outcome = _timed(action)
    base, _outcome = _timed(baseline)
    print(
        f"{name}: {seconds:.2f} s ({outcome}) | baseline {base:.3f} s | ratio {seconds / base:,.0f}x"
    )


def _targets(text: str) -> str:
    return f"{len(extract_document(text, current_limits()).targets)} targets"


def _zip_directory(data: bytes) -> int:
    return len(zipfile.ZipFile(io.BytesIO(data)).infolist())


def _import_problems(data: bytes) -> str:
    return f"{len(read_upload('a.csv', io.BytesIO(data), len(data)).issues)} problems listed"


def _csv_rows(data: bytes) -> int:
    return sum(1 for _row in csv.reader(io.StringIO(data.decode())))


def worst_cases() -> None:
    limits = current_limits()
    for characters in (46_800, limits.characters):
        text = ("Mục tiêu: " + DENSE_UNIT * (characters // len(DENSE_UNIT) + 1))[:characters]
        _report(
            f"dense text {characters:,} chars",
            partial(_targets, text),
            partial(NAIVE.findall, text),
        )
    # Stored, not deflated, as in the reported file: no compression ratio gives it away.
    for depth in (5_000_000, 2_000_000):
        body = (
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            + "<w:body>" * depth
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr("word/document.xml", body)
        nested = buffer.getvalue()
        _report(
            f".docx nested {depth:,} deep ({len(nested) / 1e6:.1f} MB)",
            partial(read_document, nested, "plan.docx", limits),
            partial(_zip_directory, nested),
        )
    bomb = zlib.compress(b" " * (1024 * 1024 * 1024), 1)
    pdf = pdf_with_stream(bomb)
    _report(
        f"PDF with a 1 GiB stream ({len(pdf) / 1e6:.1f} MB)",
        lambda: read_document(pdf, "plan.pdf", limits),
        lambda: len(pdf),
    )
    header = b"ma_don_vi,ten_don_vi,tong\n"
    row = "00004,Xã A,1,".encode() + b",x" * 900 + b"\n"
    outside = header + row * ((MAX_UPLOAD_BYTES - len(header)) // len(row))
    wide = header + "00004,Xã A".encode() + b",1" * 18_279 + b"\n"
    for name, data in (("cells outside the columns", outside), ("one row of 18,279 cells", wide)):
        _report(
            f"import CSV, {name} ({len(data) / 1e6:.1f} MB)",
            partial(_import_problems, data),
            partial(_csv_rows, data),
        )


if __name__ == "__main__":
    main()
    worst_cases()
