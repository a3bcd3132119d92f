"""The reasons shown beside each proposed target, from what the extractor recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from lotrinh.extraction.forms import review_state
from lotrinh.extraction.parsing import extract_document, extract_targets
from lotrinh.extraction.reasons import is_doubtful, reasons, year_words


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


def _quoted_reasons(text: str, **shown: object) -> list[list[str]]:
    """The reasons as the review page gives them: with the document the year spans point into."""
    result = extract_document(text)
    state = review_state(result.document, result.targets)
    return [
        reasons(
            proposal,
            {"year": target.year, "level": target.level, "text": target.text} | shown,
            state.document,
        )
        for proposal, target in zip(state.proposals, result.targets, strict=True)
    ]


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        (
            "I. MỤC TIÊU ĐẾN NĂM 2027\n- Tỷ lệ xã có wifi công cộng đạt 60%.\n",
            "Year 2027 from the heading or lead-in above: “I. MỤC TIÊU ĐẾN NĂM 2027”.",
        ),
        (
            "Tỷ lệ xã có wifi công cộng đạt 60% vào năm 2028.\n",
            "Year 2028 stated after the value: “vào năm 2028”.",
        ),
        (
            "Bảng chỉ tiêu\n| TT | Chỉ tiêu | Đơn vị | Năm 2029 |\n| 1 | Tỷ lệ xã có wifi | % | 60 |\n",
            "Year 2029 from the column heading: “Năm 2029”.",
        ),
    ],
)
def test_the_words_that_state_the_year_are_quoted(text, sentence):
    (why,) = _quoted_reasons(text)
    assert sentence in why


def test_a_year_the_reviewer_changed_is_not_quoted():
    (why,) = _quoted_reasons("Tỷ lệ xã có wifi công cộng đạt 60% vào năm 2028.\n", year=2031)
    assert "Year 2031 stated after the value." in why


def test_a_long_source_is_quoted_around_its_year():
    document = "Kế hoạch " + "chuyển đổi số toàn diện " * 10 + "đến năm 2030 " + "và sau đó " * 10
    quote = year_words(document, (0, len(document)), 2030)
    assert quote.startswith("…") and quote.endswith("…") and "đến năm 2030" in quote
    assert len(quote) <= 92


def test_every_proposed_year_points_at_words_that_state_it():
    programmes = Path(__file__).resolve().parents[2] / "sample_data" / "programmes"
    for path in sorted(programmes.glob("*.txt")):
        result = extract_document(path.read_text(encoding="utf-8"))
        for target in result.targets:
            if target.year is not None:
                assert target.year_span is not None, (path.name, target.text)
                start, end = target.year_span
                assert str(target.year) in result.document[start:end], (path.name, target.rule)
