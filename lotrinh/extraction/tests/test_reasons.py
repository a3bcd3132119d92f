"""The reasons shown beside each proposed target, from what the extractor recorded."""

from __future__ import annotations

import pytest
from django.utils import translation

from lotrinh.extraction.parsing import extract_targets
from lotrinh.extraction.reasons import is_doubtful, reasons


def _reasons_for(text: str) -> list[list[str]]:
    found = []
    for target in extract_targets(text):
        proposal = {"rule": target.rule, "year_source": target.year_source,
                    "confidence": target.confidence}  # fmt: skip
        found.append(
            reasons(proposal, {"year": target.year, "level": target.level, "text": target.text})
        )
    return found


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_year_in_the_sentence_and_its_comparator_word():
    (why,) = _reasons_for("Đến năm 2030, tỷ lệ hồ sơ trực tuyến đạt tối thiểu 90%.")
    assert why[:3] == [
        "Read as a percentage.",
        "Year 2030 stated in the sentence.",
        "Comparator from “tối thiểu”.",
    ]


def test_a_year_from_the_heading_above():
    (why,) = _reasons_for("I. MỤC TIÊU ĐẾN NĂM 2027\n- Tỷ lệ xã có wifi công cộng đạt 60%.\n")
    assert "Year 2027 from the heading or lead-in above." in why


def test_a_year_from_a_heading_row_inside_a_table():
    (why,) = _reasons_for(
        "| TT | Chỉ tiêu | Đơn vị | Kết quả |\n|---|---|---|---|\n| **I** | **Đến năm 2033** | | |\n"
        "| 1 | Tỷ lệ trường học số | % | ≥ 70 |\n"
    )
    assert why[:2] == [
        "Read as a value cell of a table.",
        "Year 2033 from a heading row inside the table.",
    ]


def test_a_row_without_a_year_is_doubtful_and_says_so():
    (target,) = extract_targets("Tỷ lệ hộ gia đình có cáp quang đạt 95%.")
    proposal = {
        "rule": target.rule,
        "year_source": target.year_source,
        "confidence": target.confidence,
    }
    row = {"year": target.year, "level": None, "text": target.text}
    assert target.year is None and is_doubtful(proposal, row)
    assert "No deadline year was found: enter it." in reasons(proposal, row)


def test_confidence_is_written_the_vietnamese_way():
    proposal = {"rule": "count", "year_source": "explicit", "confidence": 0.45}
    with translation.override("vi"):
        why = reasons(proposal, {"year": 2030, "level": None, "text": "có 30 doanh nghiệp"})
    assert why[-1].startswith("Độ tin cậy 0,45")
    assert is_doubtful(proposal, {"year": 2030})
    assert not is_doubtful({"confidence": 0.9}, {"year": 2030})


def test_a_year_from_a_task_rows_deadline_cell():
    (why,) = _reasons_for(
        "| TT | Tên nhiệm vụ | Cơ quan chủ trì | Kết quả | Thời gian hoàn thành |\n"
        "|---|---|---|---|---|\n"
        "| 3. | Mở các lớp kỹ năng số | Sở Giáo dục và Đào tạo | Ít nhất 12 mô hình | 12/2029 |\n"
    )
    assert "Year 2029 from the row's deadline column." in why
