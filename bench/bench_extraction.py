"""Benchmark: target extraction throughput (KB/s) on the five sample documents, vs a naive scan.

The five documents are repeated until the corpus is at least 2 MB, then `extract_targets` runs
over each copy. The baseline, measured in the same run on the same text, is one regular
expression that finds numbers followed by "%" (what a spreadsheet macro would do). The goal in
issue 4 is at least 200 KB/s for the extractor.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from lotrinh.extraction.parsing import extract_targets  # noqa: E402

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


if __name__ == "__main__":
    main()
